#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "daemon/daemon_methods.hpp"
#include "daemon/device_name.hpp"
#include "daemon/device_role.hpp"
#include "daemon/params.hpp"
#include "store/event_store.hpp"

namespace tether::daemon {
namespace {

namespace json = boost::json;
using proto::Field;
using proto::FieldType;

json::value time_or_null(const std::optional<store::TimePoint>& t) {
  return t ? json::value(store::to_unix_ms(*t)) : json::value(nullptr);
}

const std::vector<Field> kDeviceId = {{"id", FieldType::string, true, 64}};
const std::vector<Field> kSetMode = {{"id", FieldType::string, true, 64}, {"mode", FieldType::string, true, 16}};
const std::vector<Field> kRename = {{"id", FieldType::string, true, 64}, {"name", FieldType::string, true, 64}};
const std::vector<Field> kAuditList = {{"since", FieldType::integer, false, 0, 0},
                                       {"before", FieldType::integer, false, 0, 1},
                                       {"limit", FieldType::integer, false, 0, 1, 10000}};

}  // namespace

std::vector<proto::Method> device_methods(store::Store& store, LiveConnections& connections, Clock now) {
  auto audit = [&store, now](const proto::Caller& caller, std::string_view action, std::string_view target,
                        json::object detail) {
    store.audit().record(now(), actor_of(caller), action, target, json::serialize(detail));
  };
  std::vector<proto::Method> m;
  m.push_back({"device.list", proto::Permission::read, {},
               [&store, &connections](const json::object&, const proto::Caller&) -> core::Result<json::value> {
                 auto devices = store.devices().list();
                 if (!devices) return devices.error();
                 json::array out;
                 for (const auto& d : *devices) {
                   out.push_back(json::object{{"id", d.id},
                                              {"name", d.name},
                                              {"mode", d.mode},
                                              {"public_key", d.public_key},
                                              {"created_at", store::to_unix_ms(d.created)},
                                              {"last_seen_at", time_or_null(d.last_seen)},
                                              {"revoked_at", time_or_null(d.revoked)},
                                              {"confirmed_at", time_or_null(d.confirmed)},
                                              {"pending", d.pending()},
                                              {"live_connections", connections.device_count(d.id)}});
                 }
                 return json::value(json::object{{"devices", std::move(out)}});
               },
               "Paired devices with their mode, timestamps and live connections."});
  m.push_back({"device.revoke", proto::Permission::write, kDeviceId,
               [&store, &connections, now, audit](const json::object& p, const proto::Caller& caller) -> core::Result<json::value> {
                 const auto id = str_param(p, "id");
                 if (auto r = store.devices().revoke(id, now()); !r) return r.error();
                 connections.revoke_device(id);
                 audit(caller, "revoke", id, {});
                 return json::value(json::object{{"id", id}, {"revoked", true}});
               },
               "Refuses a device's key from now on and closes its live connections."});
  m.push_back({"device.set_mode", proto::Permission::write, kSetMode,
               [&store, &connections, audit](const json::object& p, const proto::Caller& caller) -> core::Result<json::value> {
                 const auto id = str_param(p, "id");
                 const auto mode = str_param(p, "mode");
                 const auto role = device_role(mode);
                 if (!role) return core::make_error(core::Errc::invalid_params, "\"mode\" must be \"full\" or \"read_only\"");
                 if (auto r = store.devices().set_mode(id, mode); !r) return r.error();
                 connections.set_device_role(id, *role);
                 audit(caller, "set_mode", id, {{"mode", mode}});
                 return json::value(json::object{{"id", id}, {"mode", mode}});
               },
               "Makes a device full or read_only; live connections change at once."});
  m.push_back({"device.rename", proto::Permission::write, kRename,
               [&store, audit](const json::object& p, const proto::Caller& caller) -> core::Result<json::value> {
                 const auto id = str_param(p, "id");
                 auto named = device_name(str_param(p, "name"));
                 if (!named) return named.error();
                 const std::string name = std::move(*named);
                 if (name.empty()) return core::make_error(core::Errc::invalid_params, "\"name\" must not be empty");
                 if (auto r = store.devices().rename(id, name); !r) return r.error();
                 audit(caller, "rename", id, {{"name", name}});
                 return json::value(json::object{{"id", id}, {"name", name}});
               },
               "Renames a device."});
  m.push_back({"audit.list", proto::Permission::read, kAuditList,
               [&store](const json::object& p, const proto::Caller&) -> core::Result<json::value> {
                 std::optional<store::TimePoint> since;
                 if (const auto* s = p.if_contains("since"); s && !s->is_null()) since = store::from_unix_ms(s->to_number<std::int64_t>());
                 std::optional<std::int64_t> before;
                 if (const auto* b = p.if_contains("before"); b && !b->is_null()) before = b->to_number<std::int64_t>();
                 std::size_t limit = 1000;
                 if (const auto* l = p.if_contains("limit"); l && !l->is_null()) limit = static_cast<std::size_t>(l->to_number<std::int64_t>());
                 auto entries = store.audit().list(since, before, limit + 1);  // one more: are there older ones?
                 if (!entries) return entries.error();
                 const bool more = entries->size() > limit;
                 if (more) entries->pop_back();
                 json::array out;
                 for (const auto& e : *entries) {
                   boost::system::error_code ec;
                   json::value detail = json::parse(e.detail, ec);
                   out.push_back(json::object{{"id", e.id},
                                              {"time", store::to_unix_ms(e.time)},
                                              {"actor", e.actor},
                                              {"action", e.action},
                                              {"target", e.target},
                                              {"detail", ec ? json::value(json::object{}) : detail}});
                 }
                 return json::value(json::object{{"entries", std::move(out)}, {"more", more}});
               },
               "The audit trail, newest first, a page at a time."});
  return m;
}

}  // namespace tether::daemon
