#include "daemon/daemon.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/files.hpp"
#include "core/log.hpp"
#include "daemon/daemon_methods.hpp"
#include "daemon/daemon_state.hpp"
#include "daemon/identity_file.hpp"
#include "daemon/instance_lock.hpp"
#include "daemon/local_api.hpp"
#include "net/runtime.hpp"

namespace tether::daemon {
namespace {

constexpr int kExitRuntime = 1;
constexpr int kExitRefused = 2;
constexpr auto kShutdownDeadline = std::chrono::milliseconds(1500);
constexpr auto kPruneEvery = std::chrono::hours(24);

int refuse(const core::Error& e) {
  std::fprintf(stderr, "tether daemon: %s\n", e.message.c_str());
  return e.code == "not_private" || e.code == "corrupt_key" ? kExitRefused : kExitRuntime;
}

void prune(store::Store& store, int retention_days) {
  const auto cutoff = std::chrono::system_clock::now() - std::chrono::hours(24) * retention_days;
  auto n = store.events().prune_before(cutoff);
  if (!n) spdlog::error("event retention: {}", n.error().message);
  else if (*n > 0) spdlog::info("event retention: pruned {} events older than {} days", *n, retention_days);
}

// The log file holds no secrets, but it is the user's business alone: create it 0600.
void create_private_file(const std::filesystem::path& p) {
  const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
}

}  // namespace

int run_daemon(const DaemonOptions& options) {
  const auto home = core::resolve_home(options.home);
  // Everything the daemon creates is private to this user.
  ::umask(077);
  if (auto ok = core::ensure_private_dir(home.dir); !ok) return refuse(ok.error());
  if (!crypto::init()) return refuse(core::make_error("crypto", "libsodium failed to initialise"));

  auto lock = InstanceLock::acquire(home.lock_file());
  if (!lock) return refuse(lock.error());

  create_private_file(home.log_file());
  if (auto ok = core::check_private(home.log_file(), false); !ok) return refuse(ok.error());
  core::init_logging(home.log_file(), options.verbose);

  auto identity = load_or_create_identity(home.daemon_key());
  if (!identity) return refuse(identity.error());

  auto store = store::Store::open(home.database());
  if (!store) return refuse(core::make_error("store", fmt::format("{}: {}", home.database().string(), store.error().message)));

  // We hold the lock, so a socket file left here belongs to a daemon that died.
  std::error_code ec;
  if (std::filesystem::remove(home.socket(), ec)) spdlog::info("removed a stale socket {}", home.socket().string());

  net::Runtime runtime;
  DaemonState state{home, std::move(identity).value(), std::move(store).value(), std::chrono::steady_clock::now(), {}, {}};
  prune(*state.store, options.retention_days);
  runtime.every(kPruneEvery, [&] { prune(*state.store, options.retention_days); });

  state.pairing = std::make_unique<PairingService>(*state.store);
  proto::Dispatcher dispatcher(all_methods(state));
  // Signals are caught before the socket exists, so a client that sees the socket can signal us.
  std::function<void()> shutdown = [&] { runtime.stop(); };
  runtime.on_signals({SIGTERM, SIGINT}, [&](int sig) {
    spdlog::info("received signal {}", sig);
    shutdown();
  });
  auto server = start_local_api(runtime, home.socket(), dispatcher);
  if (!server) return refuse(server.error());
  state.connection_count = [&] { return (*server)->connection_count(); };

  bool stopping = false;
  shutdown = [&] {
    if (stopping) return;
    stopping = true;
    spdlog::info("shutting down");
    auto cancel_deadline = runtime.after(kShutdownDeadline, [&] {
      spdlog::warn("shutdown deadline passed; closing the remaining connections");
      runtime.stop();
    });
    runtime.cancel_timers_and_signals();
    (*server)->shutdown(cancel_deadline);
  };
  state.request_shutdown = [&] { runtime.post(shutdown); };

  spdlog::info("tether daemon {} ready on {}", state.identity.id(), home.socket().string());
  std::error_code exe_ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", exe_ec);
  std::printf("tether daemon %s\n  socket: %s\n  next:   run `%s status` in another terminal\n",
              state.identity.id().c_str(), home.socket().string().c_str(), exe_ec ? "tether" : exe.c_str());
  std::fflush(stdout);

  runtime.run();
  server->reset();
  spdlog::info("stopped");
  return 0;
}

void register_daemon_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<DaemonOptions>();
  auto* cmd = app.add_subcommand("daemon", "Run the tether daemon in the foreground (sessions, approvals, devices)");
  cmd->add_option("--home", opts->home, "State directory (default: $TETHER_HOME, else ~/.tether)");
  cmd->add_option("--retention-days", opts->retention_days, "Delete events older than this many days")
      ->check(CLI::Range(1, 36500))
      ->capture_default_str();
  cmd->add_flag("-v,--verbose", opts->verbose, "Log debug messages");
  cmd->callback([opts, &exit_code] { exit_code = run_daemon(*opts); });
}

}  // namespace tether::daemon
