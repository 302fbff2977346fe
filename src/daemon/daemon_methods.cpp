#include "daemon/daemon_methods.hpp"

#include <unistd.h>

#include <algorithm>

#include <boost/json/object.hpp>

#include "core/encoding.hpp"
#include "core/version.hpp"

namespace tether::daemon {

namespace json = boost::json;

namespace {

// daemon.info's "relay": the link's state, since when, and why the last attempt failed.
json::object relay_info(const RelayLink* relay) {
  const RelayLinkStatus s = relay ? relay->status() : RelayLinkStatus{};
  json::object o{{"state", core::to_string(s.state)}};
  if (s.state == RelayLinkStatus::State::disabled) return o;
  const auto now = std::chrono::system_clock::now();
  o["url"] = s.url;
  o["since"] = std::chrono::duration_cast<std::chrono::seconds>(s.since.time_since_epoch()).count();
  o["seconds_in_state"] = std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::seconds>(now - s.since).count());
  o["data_connections"] = s.data_connections;
  if (!s.last_error.empty()) o["last_error"] = s.last_error;
  return o;
}

// daemon.info's "storing": whether the store takes events, and while it does not, since
// when and how much is lost so far.
json::object storing_info(const LostOutput& lost) {
  if (lost.empty()) return json::object{{"ok", true}};
  const auto total = lost.total();
  return json::object{{"ok", false},
                      {"failing_since", store::to_unix_ms(total.from)},
                      {"lost_events", total.events},
                      {"lost_bytes", total.bytes},
                      {"last_error", total.reason}};
}

}  // namespace

std::vector<proto::Method> daemon_methods(DaemonInfo info, Endpoints endpoints, store::Store& store,
                                          const LiveConnections& connections, const SessionManager& sessions) {
  std::vector<proto::Method> methods;
  methods.push_back({
      "daemon.info",
      proto::Permission::read,
      {},
      [info, endpoints, &store, &connections, &sessions](const json::object&, const proto::Caller&) -> core::Result<json::value> {
        auto counts = store.counts();
        if (!counts) return counts.error();
        const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - info.started);
        json::value rotation = nullptr;
        if (info.rotation) rotation = json::object{{"previous_daemon_id", info.rotation->old_id}, {"deadline", info.rotation->deadline_ms}};
        return json::value(json::object{
            {"daemon_id", info.identity.id()},
            {"key_rotation", rotation},
            {"noise_public_key", core::base64url_encode(info.identity.x25519_public())},
            {"version", core::kVersion},
            {"pid", ::getpid()},
            {"uptime_seconds", uptime.count()},
            {"home", info.home.dir.string()},
            {"direct", json::object{{"enabled", !endpoints.direct_origin.empty()}, {"origin", endpoints.direct_origin}}},
            {"counts", json::object{{"sessions", counts->sessions},
                                    {"devices", counts->devices},
                                    {"pending_approvals", counts->pending_approvals},
                                    {"events", counts->events},
                                    {"local_connections", connections.local_count()}}},
            {"relay", relay_info(info.relay)},
            {"storing", storing_info(sessions.lost_output())},
        });
      },
      "Who this daemon is and what it holds.",
  });
  methods.push_back({
      "daemon.shutdown",
      proto::Permission::owner,
      {},
      [request_shutdown = info.request_shutdown](const json::object&, const proto::Caller&) -> core::Result<json::value> {
        request_shutdown();  // runs after this reply is queued
        return json::value(json::object{{"stopping", true}});
      },
      "Stops the daemon cleanly.",
  });
  return methods;
}

std::vector<proto::Method> all_methods(const MethodServices& s) {
  std::vector<proto::Method> all;
  for (auto group : {daemon_methods(s.info, s.endpoints, s.store, s.connections, s.sessions), device_methods(s.store, s.connections, s.now),
                     pairing_methods(s.pairing, s.connections, s.info.identity, s.endpoints, s.now),
                     session_methods(s.sessions, s.store, s.connections),
                     approval_methods(s.sessions, s.store, s.connections, s.now)}) {
    for (auto& method : group) all.push_back(std::move(method));
  }
  return all;
}

}  // namespace tether::daemon
