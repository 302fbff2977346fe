#include "daemon/session_manager.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <span>

#include "core/encoding.hpp"
#include "crypto/secrets.hpp"
#include "daemon/agent_env.hpp"
#include "daemon/live_session.hpp"
#include "daemon/params.hpp"
#include "link/random.hpp"

namespace tether::daemon {

namespace json = boost::json;

namespace {

std::string new_id(char prefix) { return prefix + core::hex_encode(crypto::random_bytes(6)); }

// RFC 4122 version 4, for providers that take a UUID session id (Claude's --session-id).
std::string new_uuid() {
  auto b = crypto::random_bytes(16);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
  const std::string h = core::hex_encode(b);
  return fmt::format("{}-{}-{}-{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(12, 4), h.substr(16, 4), h.substr(20));
}

// The row's config: {"model": ..., "options": {...}}.
json::object config_of(const store::SessionRow& row) {
  boost::system::error_code ec;
  json::value config = json::parse(row.config, ec);
  return !ec && config.is_object() ? std::move(config.as_object()) : json::object{};
}

// `storing_failed`: some of the session's events could not be stored, and no `output_lost`
// event says so yet.
json::object session_json(const store::SessionRow& row, std::int64_t last_seq, std::size_t pending, bool storing_failed) {
  const json::object config = config_of(row);
  const auto* model = config.if_contains("model");
  const auto* options = config.if_contains("options");
  return json::object{
      {"id", row.id},
      {"name", row.name},
      {"provider", core::to_string(row.provider)},
      {"cwd", row.cwd},
      {"mode", core::to_string(row.mode)},
      {"status", core::to_string(row.status)},
      {"model", model ? *model : json::value("")},
      {"options", options ? *options : json::value(json::object{})},
      {"created", store::to_unix_ms(row.created)},
      {"updated", store::to_unix_ms(row.updated)},
      {"last_seq", last_seq},
      {"pending_approvals", pending},
      {"storing_failed", storing_failed},
  };
}

}  // namespace

SessionManager::SessionManager(net::Runtime& runtime, store::Store& store, LiveConnections& connections,
                               SessionsConfig config, Clock now)
    : runtime_(runtime), store_(store), connections_(connections), config_(std::move(config)), now_(std::move(now)) {}

SessionManager::~SessionManager() {
  flush_output();
  *alive_ = false;
  if (cancel_expiry_) cancel_expiry_();
  if (cancel_store_retry_) cancel_store_retry_();
  if (!lost_.empty()) {
    const auto total = lost_.total();
    spdlog::error("stopping with {} event(s) ({} bytes) of output lost since {} and not recorded: {}", total.events,
                  total.bytes, store::to_unix_ms(total.from), total.reason);
  }
}

void SessionManager::queue_event(const std::string& session_id, std::string_view kind, const json::object& data) {
  if (output_.empty()) output_time_ = now_();
  output_.push_back(store::NewEvent{session_id, std::string(kind), json::serialize(data)});
}

void SessionManager::emit_output(const std::string& session_id, std::string_view kind, json::object data) {
  queue_event(session_id, kind, data);
  if (output_flush_posted_) return;
  output_flush_posted_ = true;
  runtime_.post([this, alive = alive_] {
    if (!*alive) return;
    output_flush_posted_ = false;
    flush_output();
  });
}

void SessionManager::flush_output() {
  if (output_.empty()) return;
  std::vector<store::NewEvent> batch;
  batch.swap(output_);
  commit(std::move(batch), output_time_);
}

void SessionManager::commit(std::vector<store::NewEvent> output, store::TimePoint time) {
  std::vector<store::NewEvent> batch = lost_.events();
  const std::size_t told = batch.size();
  batch.insert(batch.end(), std::make_move_iterator(output.begin()), std::make_move_iterator(output.end()));
  if (batch.empty()) return;
  auto seqs = store_.events().append_batch(batch, time);
  if (!seqs) {
    const auto lost = std::span<const store::NewEvent>(batch).subspan(told);
    std::vector<std::string> newly;  // sessions whose storing_failed turns true
    for (const auto& e : lost) {
      if (!lost_.has(e.session_id) && std::find(newly.begin(), newly.end(), e.session_id) == newly.end()) newly.push_back(e.session_id);
    }
    // The first failure is an error; the ones after it, until storing works, only add to the count.
    spdlog::log(told == 0 ? spdlog::level::err : spdlog::level::debug,
                "cannot store {} event(s) (session {}, {} first); they are lost, and counted until the store takes "
                "events again: {}",
                lost.size(), lost.empty() ? "-" : lost.front().session_id, lost.empty() ? "-" : lost.front().kind,
                seqs.error().message);
    lost_.add(lost, time, seqs.error().message);
    for (const auto& id : newly) feed(id);
    retry_storing_later();
    return;
  }
  std::vector<std::string> recovered;  // sessions whose storing_failed turns false
  if (told > 0) {
    const auto total = lost_.total();
    spdlog::warn("storing works again; {} event(s) ({} bytes) were lost since {}: an {} event in each session's log says so",
                 total.events, total.bytes, store::to_unix_ms(total.from), LostOutput::kKind);
    for (std::size_t i = 0; i < told; ++i) recovered.push_back(batch[i].session_id);
    lost_.clear();
    store_retry_.reset();
    if (cancel_store_retry_) cancel_store_retry_();
    cancel_store_retry_ = nullptr;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    connections_.publish(store::Event{std::move(batch[i].session_id), (*seqs)[i], time, std::move(batch[i].kind),
                                      std::move(batch[i].data)});
  }
  for (const auto& id : recovered) feed(id);
}

void SessionManager::retry_storing_later() {
  if (cancel_store_retry_ || shutting_down_) return;
  cancel_store_retry_ = runtime_.after(store_retry_.next(link::random_unit()), [this, alive = alive_] {
    if (!*alive) return;
    cancel_store_retry_ = nullptr;
    const auto time = output_.empty() ? now_() : output_time_;
    std::vector<store::NewEvent> batch;
    batch.swap(output_);
    commit(std::move(batch), time);
  });
}

// The queued output first, in its own transaction, then this event in one of its own.
void SessionManager::emit(const std::string& session_id, std::string_view kind, json::object data) {
  flush_output();
  queue_event(session_id, kind, data);
  flush_output();
}

void SessionManager::audit(std::string_view actor, std::string_view action, std::string_view target, const json::object& detail) {
  store_.audit().record(now_(), actor, action, target, json::serialize(detail));
}

bool SessionManager::transition(LiveSession& s, SessionEvent event, json::object detail) {
  const auto status = next_status(s.row.status, event, s.facts()).value_or(s.row.status);
  if (s.row.status == status && detail.empty()) return false;
  s.row.status = status;
  s.row.updated = now_();
  if (auto ok = store_.sessions().set_status(s.row.id, status, s.row.updated); !ok) {
    // The event below still says it; the row catches up at the next change, or at restart.
    spdlog::error("session {}: cannot record status {}: {}", s.row.id, core::to_string(status), ok.error().message);
  }
  detail["status"] = core::to_string(status);
  emit(s.row.id, "status", std::move(detail));
  changed(s);
  return true;
}

void SessionManager::set_resume_id(LiveSession& s, std::string_view provider_session_id) {
  if (s.row.provider_session_id == provider_session_id) return;
  s.row.provider_session_id = std::string(provider_session_id);
  if (auto ok = store_.sessions().set_provider_session_id(s.row.id, provider_session_id, now_()); !ok) {
    spdlog::error("session {}: cannot record the agent's session id (the next start begins afresh): {}", s.row.id,
                  ok.error().message);
  }
}

void SessionManager::changed(const LiveSession& s) {
  flush_output();  // last_seq counts what was queued
  feed(s.row.id);
}

void SessionManager::feed(std::string_view session_id) {
  const auto it = sessions_.find(session_id);
  if (it == sessions_.end()) return;  // not live: no client follows its changes
  const LiveSession& s = *it->second;
  auto last = store_.events().last_seq(s.row.id);
  connections_.publish_feed(LiveConnections::Feed::sessions,
                            session_json(s.row, last ? *last : 0, s.asked.size(), lost_.has(s.row.id)));
}

core::Result<void> SessionManager::recover() {
  const auto daemon_stop = core::Decider::of(core::Decider::Kind::daemon_stop);
  auto denied = store_.approvals().deny_all_pending(daemon_stop, "the daemon stopped before anyone answered", now_());
  if (!denied) return denied.error();
  for (const auto& row : *denied) {
    emit(row.session_id, "approval_resolved",
               json::object{{"approval_id", row.id}, {"tool", row.tool}, {"decision", core::to_string(core::ApprovalDecision::deny)},
                            {"by", core::to_string(daemon_stop)},
                            {"message", "the daemon stopped before anyone answered"}});
    audit("daemon", "approval_denied", row.id, json::object{{"by", core::to_string(daemon_stop)}, {"session", row.session_id}});
  }
  auto rows = store_.sessions().list(1'000'000);
  if (!rows) return rows.error();
  for (const auto& row : *rows) {
    const auto after = next_status(row.status, SessionEvent::daemon_restarted, {});
    if (!after) continue;
    if (auto ok = store_.sessions().set_status(row.id, *after, now_()); !ok) return ok.error();
    emit(row.id, "status", json::object{{"status", core::to_string(*after)}, {"reason", "the daemon restarted; the next prompt resumes"}});
  }
  return {};
}

void SessionManager::shutdown() {
  shutting_down_ = true;
  flush_output();
  if (cancel_store_retry_) cancel_store_retry_();  // a retry would hold the stopping loop up
  for (auto& [id, s] : sessions_) {
    const auto daemon_stop = core::Decider::of(core::Decider::Kind::daemon_stop);
    for (auto& r : pending_.cancel_session(id, daemon_stop, "the daemon is stopping; denied")) {
      const auto it = s->asked.find(r.id);
      resolve(*s, r, it == s->asked.end() ? "" : it->second.tool_use_id);
    }
    if (s->provider && s->provider->running()) s->provider->terminate();
  }
}

core::Result<LiveSession*> SessionManager::live(const std::string& id) {
  if (const auto it = sessions_.find(id); it != sessions_.end()) return it->second.get();
  auto row = store_.sessions().get(id);
  if (!row) return row.error();
  if (!*row) return core::make_error(core::Errc::not_found, fmt::format("no session {}", id));
  const auto mode = (*row)->mode;
  auto [it, _] = sessions_.emplace(id, std::make_unique<LiveSession>(*this, std::move(**row), mode));
  return it->second.get();
}

const providers::ProviderKind* SessionManager::kind(core::ProviderType type) const {
  for (const auto& k : config_.providers) {
    if (k.type == type) return &k;
  }
  return nullptr;
}

std::unique_ptr<providers::Provider> SessionManager::make_provider(LiveSession& s) {
  const auto* k = kind(s.row.provider);
  if (!k) return nullptr;
  const auto config = config_of(s.row);
  providers::LaunchSpec spec;
  spec.cwd = s.row.cwd;
  spec.env = scoped_environment(config_.agent_env, s.row.provider, config_.pass_env);
  if (const auto* m = config.if_contains("model"); m && m->is_string()) spec.model = std::string(m->as_string());
  if (const auto* o = config.if_contains("options"); o && o->is_object()) spec.options = o->as_object();
  spec.resume = !s.row.provider_session_id.empty();
  spec.session_id = spec.resume ? s.row.provider_session_id : new_uuid();
  return k->make(runtime_, std::move(spec), s);
}

core::Result<json::object> SessionManager::create(const CreateRequest& r, const proto::Caller& caller) {
  if (shutting_down_) return core::make_error(core::Errc::stopping, "the daemon is stopping");
  const auto provider = core::parse_provider_type(r.provider);
  const auto* k = provider ? kind(*provider) : nullptr;
  if (!k) {
    std::string names;
    for (const auto& p : config_.providers) names += (names.empty() ? "" : ", ") + std::string(core::to_string(p.type));
    return core::make_error(core::Errc::invalid_params, fmt::format("unknown provider \"{}\" (this daemon runs: {})", r.provider, names));
  }
  const auto mode = core::parse_session_mode(r.mode);
  if (!mode) {
    return core::make_error(core::Errc::invalid_params,
                            fmt::format("mode must be {}, not \"{}\"", core::session_mode_names(), r.mode));
  }
  std::error_code ec;
  const std::filesystem::path cwd(r.cwd);
  if (!cwd.is_absolute()) return core::make_error(core::Errc::invalid_params, "cwd must be an absolute path");
  if (!std::filesystem::is_directory(cwd, ec)) return core::make_error(core::Errc::invalid_params, fmt::format("{} is not a directory", r.cwd));
  if (auto ok = k->check(config_.agent_env); !ok) return ok.error();
  if (k->check_options) {
    if (auto ok = k->check_options(r.options, config_.agent_env, r.cwd); !ok) return ok.error();
  }

  const auto now = now_();
  store::SessionRow row{new_id('s'), r.name, *provider, std::filesystem::weakly_canonical(cwd, ec).string(), *mode,
                        core::SessionStatus::starting, "",
                        json::serialize(json::object{{"model", r.model}, {"options", r.options}}), now, now};
  if (ec) row.cwd = r.cwd;
  if (auto ok = store_.sessions().create(row); !ok) return ok.error();
  auto [it, _] = sessions_.emplace(row.id, std::make_unique<LiveSession>(*this, row, *mode));
  LiveSession& s = *it->second;
  audit(actor_of(caller), "session_create", row.id,
        json::object{{"cwd", row.cwd}, {"provider", core::to_string(row.provider)}, {"mode", core::to_string(row.mode)}});
  emit(row.id, "status", json::object{{"status", core::to_string(row.status)}});
  changed(s);
  if (!k->takes_prompts) {
    // A terminal starts at once and takes input, not prompts.
    s.provider = make_provider(s);
    if (auto ok = s.provider->start(); !ok) {
      emit(row.id, "error", json::object{{"message", ok.error().message}});
      transition(s, SessionEvent::failed);
      if (ok.error().code == core::Errc::invalid_params) return ok.error();
    }
  } else if (!r.prompt.empty()) {
    if (auto ok = send(row.id, r.prompt, caller); !ok) {
      emit(row.id, "error", json::object{{"message", ok.error().message}});
      transition(s, SessionEvent::failed);
    }
  }
  return get(row.id);
}

core::Result<json::object> SessionManager::get(const std::string& id) {
  std::optional<store::SessionRow> row;
  std::size_t pending = 0;
  if (const auto it = sessions_.find(id); it != sessions_.end()) {
    row = it->second->row;
    pending = it->second->asked.size();
  } else {
    auto stored = store_.sessions().get(id);
    if (!stored) return stored.error();
    if (!*stored) return core::make_error(core::Errc::not_found, fmt::format("no session {}", id));
    row = std::move(**stored);
  }
  auto last = store_.events().last_seq(id);
  if (!last) return last.error();
  return session_json(*row, *last, pending, lost_.has(id));
}

core::Result<json::array> SessionManager::list(std::size_t limit) {
  auto rows = store_.sessions().list_summaries(limit);
  if (!rows) return rows.error();
  json::array out;
  out.reserve(rows->size());
  for (const auto& stored : *rows) {
    const auto it = sessions_.find(stored.row.id);
    const store::SessionRow& row = it != sessions_.end() ? it->second->row : stored.row;
    out.push_back(session_json(row, stored.last_seq, it != sessions_.end() ? it->second->asked.size() : 0, lost_.has(row.id)));
  }
  return out;
}

core::Result<void> SessionManager::send(const std::string& id, const std::string& text, const proto::Caller& caller) {
  if (shutting_down_) return core::make_error(core::Errc::stopping, "the daemon is stopping");
  if (text.empty()) return core::make_error(core::Errc::invalid_params, "the prompt is empty");
  auto s = live(id);
  if (!s) return s.error();
  LiveSession& session = **s;
  const bool start = !session.provider || !session.provider->running();
  if (const auto* k = kind(session.row.provider); start && k && !k->takes_prompts) {
    // A terminal that ended is never restarted: refused, and its status stays as it is.
    return core::make_error(core::Errc::not_running, "the terminal has ended; start a new terminal session");
  }
  if (start) {
    session.provider = make_provider(session);
    if (!session.provider) {
      return core::make_error(core::Errc::provider_missing,
                              fmt::format("this daemon cannot run {} sessions", core::to_string(session.row.provider)));
    }
    session.stop_requested = false;
    transition(session, SessionEvent::started);
  }
  emit(id, "user_message", json::object{{"text", text}, {"by", actor_of(caller)}});
  if (auto ok = session.provider->send(text); !ok) {
    emit(id, "error", json::object{{"message", ok.error().message}});
    transition(session, SessionEvent::failed);
    return ok;
  }
  if (auto ok = store_.sessions().touch(id, now_()); !ok) {
    spdlog::warn("session {}: cannot record its last use: {}", id, ok.error().message);  // only the list order
  }
  return {};
}

core::Result<void> SessionManager::interrupt(const std::string& id, const proto::Caller& caller) {
  auto s = live(id);
  if (!s) return s.error();
  if (!(*s)->provider || !(*s)->provider->running()) return core::make_error(core::Errc::not_running, "the agent is not running");
  if (auto ok = (*s)->provider->interrupt(); !ok) return ok;
  audit(actor_of(caller), "session_interrupt", id, {});
  return {};
}

core::Result<void> SessionManager::stop(const std::string& id, const proto::Caller& caller) {
  auto s = live(id);
  if (!s) return s.error();
  LiveSession& session = **s;
  audit(actor_of(caller), "session_stop", id, {});
  for (auto& r : pending_.cancel_session(id, decider_of(caller), "the session was stopped; denied")) {
    const auto it = session.asked.find(r.id);
    resolve(session, r, it == session.asked.end() ? "" : it->second.tool_use_id);
  }
  if (!session.provider || !session.provider->running()) {
    transition(session, SessionEvent::stopped);
    return {};
  }
  session.stop_requested = true;
  session.provider->stop();
  return {};
}

core::Result<void> SessionManager::terminal_input(const std::string& id, std::string_view bytes) {
  auto s = live(id);
  if (!s) return s.error();
  if (!(*s)->provider) return core::make_error(core::Errc::not_running, "the session has no running program");
  return (*s)->provider->input(bytes);
}

core::Result<void> SessionManager::terminal_resize(const std::string& id, int cols, int rows) {
  auto s = live(id);
  if (!s) return s.error();
  if (!(*s)->provider) return core::make_error(core::Errc::not_running, "the session has no running program");
  return (*s)->provider->resize(cols, rows);
}

core::Result<void> SessionManager::set_mode(const std::string& id, const std::string& mode, const proto::Caller& caller) {
  const auto parsed = core::parse_session_mode(mode);
  if (!parsed) {
    return core::make_error(core::Errc::invalid_params,
                            fmt::format("mode must be {}, not \"{}\"", core::session_mode_names(), mode));
  }
  auto s = live(id);
  if (!s) return s.error();
  (*s)->mode = *parsed;
  (*s)->row.mode = *parsed;
  if (auto ok = store_.sessions().set_mode(id, *parsed, now_()); !ok) return ok;
  audit(actor_of(caller), "session_set_mode", id, json::object{{"mode", mode}});
  emit(id, "mode", json::object{{"mode", mode}, {"by", actor_of(caller)}});
  changed(**s);
  return {};
}

// Audited as the agent's doing; the error event carries `security` so a device can mark it.
void SessionManager::on_security_alert(LiveSession& s, std::string_view what, std::string_view message, json::object detail) {
  spdlog::warn("session {}: security: {}", s.row.id, message);
  detail["session"] = s.row.id;
  audit("agent", what, s.row.id, detail);
  emit(s.row.id, "error", json::object{{"message", message}, {"security", what}});
}

void SessionManager::on_exited(LiveSession& s, int status, std::string_view detail) {
  s.turn_active = false;
  const auto provider_exit = core::Decider::of(core::Decider::Kind::provider_exit);
  for (auto& r : pending_.cancel_session(s.row.id, provider_exit, "the agent exited; denied")) {
    const auto it = s.asked.find(r.id);
    resolve(s, r, it == s.asked.end() ? "" : it->second.tool_use_id);
  }
  // A terminal's program may end with any status; an agent that exits non-zero unasked failed.
  const auto* k = kind(s.row.provider);
  const bool failed = status != 0 && !s.stop_requested && !shutting_down_ && k && k->takes_prompts;
  if (failed) {
    std::string message = fmt::format("the agent exited with status {}", status);
    if (!detail.empty()) message += ": " + std::string(detail);
    emit(s.row.id, "error", json::object{{"message", message}});
  }
  transition(s, failed ? SessionEvent::exited_failed : SessionEvent::exited, json::object{{"code", status}});
}

}  // namespace tether::daemon
