#include "daemon/daemon_methods.hpp"

#include <unistd.h>

#include <boost/json/object.hpp>

#include "core/encoding.hpp"
#include "core/version.hpp"

namespace tether::daemon {

namespace json = boost::json;

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
            {"counts", json::object{{"sessions", counts->sessions},
                                    {"devices", counts->devices},
                                    {"pending_approvals", counts->pending_approvals},
                                    {"events", counts->events},
                                    {"local_connections", state.connection_count ? state.connection_count() : 0}}},
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

}  // namespace tether::daemon
