// `tether key rotate`: a new daemon identity, signed over by the old one (identity_file.hpp).
// Runs with the daemon stopped (it takes the daemon's lock), so that no connection is
// answered by a key that is being replaced; the daemon picks the rotation up at its start.
#include "daemon/key_command.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "core/files.hpp"
#include "core/home.hpp"
#include "daemon/identity_file.hpp"
#include "daemon/instance_lock.hpp"
#include "store/store.hpp"

namespace tether::daemon {
namespace {

namespace json = boost::json;

struct KeyOptions {
  std::optional<std::string> home;
  int grace_days = 30;
  bool json = false;
};

int fail(const KeyOptions& opts, const core::Error& e) {
  if (opts.json) {
    std::printf("%s\n", json::serialize(json::object{{"error", {{"code", core::to_string(e.code)}, {"message", e.message}}}}).c_str());
  }
  std::fprintf(stderr, "tether key rotate: %s\n", e.message.c_str());
  return 1;
}

int run_rotate(const KeyOptions& opts) {
  const auto home = core::resolve_home(opts.home);
  ::umask(077);
  if (auto ok = core::check_private(home.dir, true); !ok) return fail(opts, ok.error());
  if (!crypto::init()) return fail(opts, core::make_error(core::Errc::crypto, "libsodium failed to initialise"));
  auto lock = InstanceLock::acquire(home.lock_file());
  if (!lock) {
    if (lock.error().code != core::Errc::already_running) return fail(opts, lock.error());
    return fail(opts, core::make_error(core::Errc::already_running,
                                       lock.error().message + "; stop it, rotate, then start it again"));
  }
  const auto now = std::chrono::system_clock::now();
  auto rotation = rotate_identity(home, std::chrono::hours(24) * opts.grace_days, now);
  if (!rotation) return fail(opts, rotation.error());
  auto store = store::Store::open(home.database());
  if (store) {
    (*store)->audit().record(now, "owner", "key_rotate", rotation->new_id,
                             json::serialize(json::object{{"old", rotation->old_id}, {"new", rotation->new_id},
                                                          {"deadline", rotation->deadline_ms}}));
  } else {
    std::fprintf(stderr, "tether key rotate: the rotation is done but could not be audited: %s\n", store.error().message.c_str());
  }
  if (opts.json) {
    std::printf("%s\n", json::serialize(json::object{{"old_daemon_id", rotation->old_id}, {"daemon_id", rotation->new_id},
                                                     {"noise_key", rotation->noise_key}, {"deadline", rotation->deadline_ms}})
                            .c_str());
  } else {
    std::printf("New daemon identity %s (was %s).\n"
                "Paired devices move to it at their next connection until the deadline, %d days from now; a device that\n"
                "does not connect before then has to pair again. Start the daemon again: `tether daemon`.\n",
                rotation->new_id.c_str(), rotation->old_id.c_str(), opts.grace_days);
  }
  return 0;
}

}  // namespace

void register_key_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<KeyOptions>();
  auto* cmd = app.add_subcommand("key", "The daemon's identity key");
  cmd->require_subcommand(1);
  cmd->fallthrough();
  cmd->add_option("--home", opts->home, "State directory (default: $TETHER_HOME, else ~/.tether)");
  cmd->add_flag("--json", opts->json, "Print JSON");
  auto* rotate = cmd->add_subcommand("rotate", "Replace the daemon's key with a new one that paired devices accept at their next "
                                               "connection (run with the daemon stopped)");
  rotate->add_option("--grace-days", opts->grace_days, "Days the old key still answers devices that have not moved yet")
      ->check(CLI::Range(1, 365))
      ->capture_default_str();
  rotate->callback([opts, &exit_code] { exit_code = run_rotate(*opts); });
}

}  // namespace tether::daemon
