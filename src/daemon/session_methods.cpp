#include <boost/json/object.hpp>

#include "core/encoding.hpp"
#include "daemon/daemon_methods.hpp"
#include "daemon/event_page.hpp"
#include "daemon/params.hpp"

namespace tether::daemon {
namespace {

namespace json = boost::json;
using proto::Field;
using proto::FieldType;

constexpr std::size_t kMaxPrompt = 256 * 1024;

const std::vector<Field> kCreate = {{"provider", FieldType::string, false, 32}, {"cwd", FieldType::string, true, 4096},
                                    {"prompt", FieldType::string, false, kMaxPrompt}, {"model", FieldType::string, false, 128},
                                    {"mode", FieldType::string, false, 16},       {"name", FieldType::string, false, 128},
                                    {"command", FieldType::array, false, 256},    {"cols", FieldType::integer, false, 0, 1, 1000},
                                    {"rows", FieldType::integer, false, 0, 1, 1000}};
const std::vector<Field> kSessionId = {{"session", FieldType::string, true, 64}};
const std::vector<Field> kList = {{"limit", FieldType::integer, false, 0, 1, 10000}};
const std::vector<Field> kSend = {{"session", FieldType::string, true, 64}, {"text", FieldType::string, true, kMaxPrompt}};
const std::vector<Field> kSetMode = {{"session", FieldType::string, true, 64}, {"mode", FieldType::string, true, 16}};
const std::vector<Field> kSubscribe = {{"session", FieldType::string, true, 64}, {"since", FieldType::integer, false, 0, 0}};
const std::vector<Field> kEvents = {{"session", FieldType::string, true, 64},
                                    {"since", FieldType::integer, false, 0, 0},
                                    {"limit", FieldType::integer, false, 0, 1, 10000}};

const std::vector<Field> kTerminalInput = {{"session", FieldType::string, true, 64}, {"data", FieldType::string, false, 64 * 1024},
                                           {"b64", FieldType::string, false, 88 * 1024}};
const std::vector<Field> kTerminalResize = {{"session", FieldType::string, true, 64},
                                            {"cols", FieldType::integer, true, 0, 1, 1000},
                                            {"rows", FieldType::integer, true, 0, 1, 1000}};

json::value ok() { return json::object{{"ok", true}}; }

// A handler that takes the session id and returns {"ok": true}.
template <class Fn>
proto::Handler session_action(SessionManager& sessions, Fn fn) {
  return [&sessions, fn](const json::object& p, const proto::Caller& caller) -> core::Result<json::value> {
    if (auto r = fn(sessions, str_param(p, "session"), p, caller); !r) return r.error();
    return ok();
  };
}

}  // namespace

std::vector<proto::Method> session_methods(SessionManager& sessions, store::Store& store, LiveConnections& connections) {
  std::vector<proto::Method> m;
  m.push_back({"session.create", proto::Permission::write, kCreate,
               [&sessions](const json::object& p, const proto::Caller& caller) -> core::Result<json::value> {
                 CreateRequest r{str_param(p, "provider", "claude"), str_param(p, "cwd"), str_param(p, "prompt"),
                                 str_param(p, "model"), str_param(p, "mode", "ask"), str_param(p, "name"), {}};
                 // Provider-specific settings travel as options (a terminal's command and size).
                 for (const char* key : {"command", "cols", "rows"}) {
                   if (const auto* v = p.if_contains(key)) r.options[key] = *v;
                 }
                 auto created = sessions.create(r, caller);
                 if (!created) return created.error();
                 return json::value(std::move(*created));
               },
               "Starts an agent in a directory, with a first prompt."});
  m.push_back({"session.list", proto::Permission::read, kList,
               [&sessions](const json::object& p, const proto::Caller&) -> core::Result<json::value> {
                 auto list = sessions.list(static_cast<std::size_t>(int_param(p, "limit", 200)));
                 if (!list) return list.error();
                 return json::value(json::object{{"sessions", std::move(*list)}});
               },
               "Sessions, most recently active first."});
  m.push_back({"session.watch", proto::Permission::read, kList,
               [&sessions, &connections](const json::object& p, const proto::Caller& caller) -> core::Result<json::value> {
                 auto list = sessions.list(static_cast<std::size_t>(int_param(p, "limit", 200)));
                 if (!list) return list.error();
                 if (!connections.subscribe_feed(caller.connection_id, LiveConnections::Feed::sessions)) {
                   return core::make_error(core::Errc::not_streaming, "this connection cannot receive notifications");
                 }
                 return json::value(json::object{{"sessions", std::move(*list)}});
               },
               "The session list now, then each session's new summary as session.changed notifications."});
  m.push_back({"session.get", proto::Permission::read, kSessionId,
               [&sessions](const json::object& p, const proto::Caller&) -> core::Result<json::value> {
                 auto s = sessions.get(str_param(p, "session"));
                 if (!s) return s.error();
                 return json::value(std::move(*s));
               },
               "One session's state."});
  m.push_back({"session.send", proto::Permission::write, kSend,
               session_action(sessions, [](SessionManager& s, const std::string& id, const json::object& p, const proto::Caller& c) {
                 return s.send(id, str_param(p, "text"), c);
               }),
               "Sends a prompt; resumes the agent if it had ended."});
  m.push_back({"session.interrupt", proto::Permission::write, kSessionId,
               session_action(sessions, [](SessionManager& s, const std::string& id, const json::object&, const proto::Caller& c) {
                 return s.interrupt(id, c);
               }),
               "Interrupts the agent's current turn."});
  m.push_back({"session.stop", proto::Permission::write, kSessionId,
               session_action(sessions, [](SessionManager& s, const std::string& id, const json::object&, const proto::Caller& c) {
                 return s.stop(id, c);
               }),
               "Ends the agent process (its history stays)."});
  m.push_back({"session.set_mode", proto::Permission::write, kSetMode,
               session_action(sessions, [](SessionManager& s, const std::string& id, const json::object& p, const proto::Caller& c) {
                 return s.set_mode(id, str_param(p, "mode"), c);
               }),
               "Sets the approval mode: ask, edits or auto."});
  m.push_back({"session.subscribe", proto::Permission::read, kSubscribe,
               [&sessions, &connections](const json::object& p, const proto::Caller& caller) -> core::Result<json::value> {
                 const auto id = str_param(p, "session");
                 if (auto s = sessions.get(id); !s) return s.error();
                 auto last = connections.subscribe(caller.connection_id, id, int_param(p, "since", 0));
                 if (!last) return last.error();
                 return json::value(json::object{{"session", id}, {"last_seq", *last}});
               },
               "Streams the session's events after `since` as session.event notifications, then live ones."});
  m.push_back({"session.unsubscribe", proto::Permission::read, kSessionId,
               [&connections](const json::object& p, const proto::Caller& caller) -> core::Result<json::value> {
                 const bool was = connections.unsubscribe(caller.connection_id, str_param(p, "session"));
                 return json::value(json::object{{"unsubscribed", was}});
               },
               "Stops the stream of one session."});
  m.push_back({"session.events", proto::Permission::read, kEvents,
               [&sessions, &store](const json::object& p, const proto::Caller&) -> core::Result<json::value> {
                 const auto id = str_param(p, "session");
                 if (auto s = sessions.get(id); !s) return s.error();
                 auto page = events_page(store.events(), id, int_param(p, "since", 0),
                                         static_cast<std::size_t>(int_param(p, "limit", 1000)));
                 if (!page) return page.error();
                 return json::value(std::move(*page));
               },
               "A page of the session's events after `since`, bounded by count and bytes (no stream)."});
  m.push_back({"terminal.input", proto::Permission::write, kTerminalInput,
               session_action(sessions, [](SessionManager& s, const std::string& id, const json::object& p, const proto::Caller&)
                                  -> core::Result<void> {
                 // Text as `data`, or any bytes as base64url in `b64`.
                 std::string bytes = str_param(p, "data");
                 if (p.contains("b64")) {
                   auto decoded = core::base64url_decode(str_param(p, "b64"));
                   if (!decoded) return core::make_error(core::Errc::invalid_params, "b64 is not base64url");
                   bytes.assign(decoded->begin(), decoded->end());
                 }
                 return s.terminal_input(id, bytes);
               }),
               "Types into a terminal session."});
  m.push_back({"terminal.resize", proto::Permission::write, kTerminalResize,
               session_action(sessions, [](SessionManager& s, const std::string& id, const json::object& p, const proto::Caller&) {
                 return s.terminal_resize(id, static_cast<int>(int_param(p, "cols", 80)), static_cast<int>(int_param(p, "rows", 24)));
               }),
               "Sets a terminal session's window size."});
  return m;
}

}  // namespace tether::daemon
