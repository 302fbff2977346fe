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
json::object relay_info(const DaemonState& state) {
  const RelayLinkStatus s = state.relay_status ? state.relay_status() : RelayLinkStatus{};
  json::object o{{"state", to_string(s.state)}};
  if (s.state == RelayLinkStatus::State::disabled) return o;
  const auto now = std::chrono::system_clock::now();
  o["url"] = s.url;
  o["since"] = std::chrono::duration_cast<std::chrono::seconds>(s.since.time_since_epoch()).count();
  o["seconds_in_state"] = std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::seconds>(now - s.since).count());
  o["data_connections"] = s.data_connections;
  if (!s.last_error.empty()) o["last_error"] = s.last_error;
  return o;
}

}  // namespace

std::vector<proto::Method> daemon_methods(DaemonState& state) {
  std::vector<proto::Method> methods;
  methods.push_back({
      "daemon.info",
      proto::Permission::read,
      {},
      [&state](const json::object&, const proto::Caller&) -> core::Result<json::value> {
        auto counts = state.store->counts();
        if (!counts) return counts.error();
        const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - state.started);
        return json::value(json::object{
            {"daemon_id", state.identity.id()},
            {"noise_public_key", core::base64url_encode(state.identity.x25519_public())},
            {"version", core::kVersion},
            {"pid", ::getpid()},
            {"uptime_seconds", uptime.count()},
            {"home", state.home.dir.string()},
            {"direct", json::object{{"enabled", !state.direct_origin.empty()}, {"origin", state.direct_origin}}},
            {"counts", json::object{{"sessions", counts->sessions},
                                    {"devices", counts->devices},
                                    {"pending_approvals", counts->pending_approvals},
                                    {"events", counts->events},
                                    {"local_connections", state.connection_count ? state.connection_count() : 0}}},
            {"relay", relay_info(state)},
        });
      },
      "Who this daemon is and what it holds.",
  });
  methods.push_back({
      "daemon.shutdown",
      proto::Permission::owner,
      {},
      [&state](const json::object&, const proto::Caller&) -> core::Result<json::value> {
        state.request_shutdown();  // runs after this reply is queued
        return json::value(json::object{{"stopping", true}});
      },
      "Stops the daemon cleanly.",
  });
  return methods;
}

std::vector<proto::Method> all_methods(DaemonState& state) {
  std::vector<proto::Method> all;
  for (auto group : {daemon_methods(state), device_methods(state), pairing_methods(state), session_methods(state),
                     approval_methods(state)}) {
    for (auto& method : group) all.push_back(std::move(method));
  }
  return all;
}

}  // namespace tether::daemon
