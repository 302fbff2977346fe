#include "daemon/daemon.hpp"

#include "daemon/agent_env.hpp"

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
#include "daemon/identity_file.hpp"
#include "daemon/instance_lock.hpp"
#include "daemon/local_api.hpp"
#include "daemon/direct_listener.hpp"
#include "daemon/relay_link.hpp"
#include "daemon/remote_session.hpp"
#include "daemon/retention.hpp"
#include "providers/claude/claude_provider.hpp"
#include "providers/opencode/opencode_provider.hpp"
#include "providers/codex/codex_provider.hpp"
#include "providers/pty/terminal_provider.hpp"
#include "net/open_files.hpp"
#include "net/runtime.hpp"

namespace tether::daemon {
namespace {

constexpr int kExitRuntime = 1;
constexpr int kExitRefused = 2;
constexpr auto kShutdownDeadline = std::chrono::milliseconds(1500);
constexpr auto kPruneEvery = std::chrono::hours(24);

// --app-url: an http(s) URL with a host and no query or fragment; the link appends "/#offer=…".
core::Result<std::string> app_url_origin(std::string url) {
  const bool https = url.starts_with("https://");
  if (!https && !url.starts_with("http://")) {
    return core::make_error(core::Errc::bad_url, fmt::format("--app-url must start with https:// (or http://), not \"{}\"", url));
  }
  const std::string rest = url.substr(https ? 8 : 7);
  if (rest.empty() || rest.front() == '/' || url.find_first_of("?#@ \t\r\n") != std::string::npos) {
    return core::make_error(core::Errc::bad_url, fmt::format("--app-url \"{}\" needs a host and no query, fragment or user", url));
  }
  while (url.ends_with('/')) url.pop_back();
  return url;
}

int refuse(const core::Error& e) {
  std::fprintf(stderr, "tether daemon: %s\n", e.message.c_str());
  const bool refused = e.code == core::Errc::not_private || e.code == core::Errc::corrupt_key ||
                       e.code == core::Errc::bad_config || e.code == core::Errc::bad_url || e.code == core::Errc::bad_listen;
  return refused ? kExitRefused : kExitRuntime;
}

// What an earlier run left in the home must still be this user's own before this run touches
// any of it (the lock's pid, the log): a key, log or lock another uid owns or others may read,
// or a store file another uid owns, is refused here, with the path and the fix. (A store
// file others may read is made private by the store when it opens.)
core::Result<void> check_files_left(const core::HomePaths& home) {
  for (const auto& path : {home.daemon_key(), home.log_file(), home.lock_file()}) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) continue;
    if (auto ok = core::check_private(path, false); !ok) return ok;
  }
  const std::string db = home.database().string();
  for (const auto& path : {db, db + "-wal", db + "-shm"}) {
    if (auto ok = core::check_owned(path); !ok) return ok;
  }
  return {};
}

// `s` as one shell word: as it is when it holds only safe characters, else in single quotes.
std::string shell_word(const std::string& s) {
  const bool safe = !s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                                      "@%+=:,./_-") == std::string::npos;
  if (safe) return s;
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// How the user runs the CLI against this daemon, for the "next:" hint: this binary, with
// `--home DIR` when the home is not the one a bare `tether` finds.
std::string cli_invocation(const core::HomePaths& home) {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::string out = ec ? "tether" : shell_word(exe.string());
  if (home.dir != core::default_home().dir) out += " --home " + shell_word(home.dir.string());
  return out;
}

}  // namespace

int run_daemon(const DaemonOptions& options) {
  // Before anything is opened: every descriptor the daemon will hold counts under it.
  const auto open_file_limit = net::raise_open_file_limit(options.max_connections + kDescriptorReserve);
  const auto home = core::resolve_home(options.home);
  // Everything the daemon creates is private to this user.
  ::umask(077);
  if (auto ok = core::ensure_private_dir(home.dir); !ok) return refuse(ok.error());
  if (auto ok = check_files_left(home); !ok) return refuse(ok.error());
  if (!crypto::init()) return refuse(core::make_error(core::Errc::crypto, "libsodium failed to initialise"));
  std::string app_url;
  if (options.app_url) {
    auto url = app_url_origin(*options.app_url);
    if (!url) return refuse(url.error());
    app_url = std::move(*url);
  }
  auto relay_settings = load_relay_settings(home, options.relay_url, options.relay_ca, options.relay_backoff_max_seconds);
  if (!relay_settings) return refuse(relay_settings.error());

  auto lock = InstanceLock::acquire(home.lock_file());
  if (!lock) return refuse(lock.error());

  // The log file holds no secrets, but it is the user's business alone: 0600.
  (void)core::create_private_file(home.log_file());  // check_private below names what is wrong
  if (auto ok = core::check_private(home.log_file(), false); !ok) return refuse(ok.error());
  core::init_logging(home.log_file(), options.verbose);

  auto identities = load_identities(home, std::chrono::system_clock::now());
  if (!identities) return refuse(identities.error());

  auto opened = store::Store::open(home.database());
  if (!opened) {
    const auto& e = opened.error();  // not_private names the file and the fix already
    return refuse(e.code == core::Errc::not_private
                      ? e
                      : core::make_error(core::Errc::store, fmt::format("{}: {}", home.database().string(), e.message)));
  }
  store::Store& store = **opened;

  // We hold the lock, so a socket file left here belongs to a daemon that died.
  std::error_code ec;
  if (std::filesystem::remove(home.socket(), ec)) spdlog::info("removed a stale socket {}", home.socket().string());

  net::Runtime runtime;
  const crypto::Identity& id = identities->current;
  const auto started = std::chrono::steady_clock::now();
  const Clock now = system_clock();
  if (const auto& r = identities->retired) {
    store.audit().record(now(), "daemon", "key_retired", r->old_id, fmt::format(R"({{"new":"{}"}})", r->new_id));
  }
  if (const auto& r = identities->rotation) {
    spdlog::info("key rotation under way: devices on the previous identity {} move to {} until {} (unix ms)", r->old_id, r->new_id,
                 r->deadline_ms);
  }
  PairingService pairing(store);
  if (auto r = pairing.revoke_leftovers(now()); !r) {
    spdlog::error("cannot revoke the devices whose pairing was not confirmed: {}", r.error().message);
    return 1;
  }
  LiveConnections connections(runtime, store.events());
  SessionsConfig sessions_config{{providers::claude::claude_kind({options.claude_bin, std::chrono::seconds(3)}),
                                  providers::opencode::opencode_kind({.opencode_bin = options.opencode_bin,
                                                                     .plugin_file = home.dir / "opencode-env-guard.js"}),
                                  providers::pty::terminal_kind({}),
                                  providers::codex::codex_kind({options.codex_bin, std::chrono::seconds(3), std::chrono::seconds(30)})},
                                 std::chrono::seconds(options.approval_timeout_seconds),
                                 agent_environment(environ), options.pass_env};
  auto sessions = std::make_unique<SessionManager>(runtime, store, connections, std::move(sessions_config), now);
  if (auto ok = sessions->recover(); !ok) return refuse(ok.error());
  // Signals are caught before the socket exists, so a client that sees the socket can
  // signal us; until every part is up, a signal just stops the loop.
  std::function<void()> shutdown = [&] { runtime.stop(); };
  runtime.on_signals({SIGTERM, SIGINT}, [&](int sig) {
    spdlog::info("received signal {}", sig);
    shutdown();
  });

  // The transports exist (the direct listener bound) before the method table, which
  // reports them; they serve connections once the dispatcher exists.
  Endpoints endpoints{.app_url = app_url};
  std::unique_ptr<RelayLink> relay_link;
  std::unique_ptr<RelayLink> previous_link;  // devices on the old key reach it under the old daemon id
  if (*relay_settings) {
    endpoints.relay_url = (*relay_settings)->url.text;
    if (identities->previous) previous_link = std::make_unique<RelayLink>(runtime, *identities->previous, **relay_settings);
    relay_link = std::make_unique<RelayLink>(runtime, id, std::move(**relay_settings));
  }
  std::unique_ptr<DirectListener> direct;
  if (!options.no_direct) {
    auto address = parse_listen_address(options.listen);
    if (!address) return refuse(address.error());
    DirectOptions direct_options{address->first, address->second, net::HostAllowlist{options.allow_hosts}, std::nullopt};
    if (options.web_root) direct_options.web_root = *options.web_root;
    direct_options.max_connections = options.max_connections;
    direct_options.max_handshakes = options.max_handshakes;
    direct_options.max_handshakes_per_address = options.max_handshakes_per_ip;
    direct_options.handshake_timeout = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(options.handshake_timeout_seconds));
    fit_connection_caps(direct_options, open_file_limit);
    if (direct_options.max_connections < options.max_connections) {
      spdlog::info("direct: at most {} connections (the open-file limit is {}, {} kept for the rest)",
                   direct_options.max_connections, open_file_limit.value_or(0), kDescriptorReserve);
    }
    auto bound = DirectListener::start(runtime, std::move(direct_options));
    if (!bound) return refuse(bound.error());
    direct = std::move(*bound);
    endpoints.direct_origin = direct->origin();
  }

  const DaemonInfo info{id, home, started, relay_link.get(), [&] { runtime.post([&] { shutdown(); }); },
                        identities->rotation ? &*identities->rotation : nullptr};
  proto::Dispatcher dispatcher(all_methods({info, endpoints, store, pairing, connections, *sessions, now}));
  auto server = start_local_api(runtime, home.socket(), dispatcher, connections);
  if (!server) return refuse(server.error());
  // Pruning starts once the socket serves, and shares the loop with the requests.
  Retention retention(runtime, store.events(), store.audit(), std::chrono::hours(24) * options.retention_days);
  retention.start(now());
  runtime.every(kPruneEvery, [&] { retention.start(now()); });

  RefusalAudit refusals;
  const RemoteServices remote{id, store, pairing, connections, dispatcher, refusals, now,
                              identities->previous ? &*identities->previous : nullptr,
                              identities->rotation ? &*identities->rotation : nullptr};
  if (relay_link) {
    relay_link->start(options.debug_echo_accepts ? echo_handler_factory() : remote_session_factory(remote, "relay"));
  }
  if (previous_link) previous_link->start(remote_session_factory(remote, "relay"));
  if (direct) direct->serve(remote_session_factory(remote, "direct"));

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
    retention.stop();
    sessions->shutdown();
    auto remaining = std::make_shared<int>(1 + (relay_link ? 1 : 0) + (previous_link ? 1 : 0) + (direct ? 1 : 0));
    auto one_done = [remaining, cancel_deadline] {
      if (--*remaining == 0) cancel_deadline();
    };
    if (relay_link) relay_link->shutdown(one_done);
    if (previous_link) previous_link->shutdown(one_done);
    if (direct) direct->shutdown(one_done);
    (*server)->shutdown(one_done);
  };

  spdlog::info("tether daemon {} ready on {}", id.id(), home.socket().string());
  const std::string tether = cli_invocation(home);
  std::printf("tether daemon %s\n  socket: %s\n  direct: %s\n  next:   run `%s status` in another terminal, "
              "`%s pair` to pair a device\n",
              id.id().c_str(), home.socket().string().c_str(), direct ? direct->origin().c_str() : "off", tether.c_str(),
              tether.c_str());
  std::fflush(stdout);

  runtime.run();
  relay_link.reset();
  previous_link.reset();
  direct.reset();
  server->reset();
  sessions.reset();  // ends any agent still running
  spdlog::info("stopped");
  return 0;
}

void register_daemon_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<DaemonOptions>();
  auto* cmd = app.add_subcommand("daemon", "Run the tether daemon in the foreground (sessions, approvals, devices)");
  cmd->add_option("--home", opts->home, "State directory (default: $TETHER_HOME, else ~/.tether)");
  cmd->add_option("--retention-days", opts->retention_days, "Delete events and audit entries older than this many days")
      ->check(CLI::Range(1, 36500))
      ->capture_default_str();
  cmd->add_flag("-v,--verbose", opts->verbose, "Log debug messages");
  cmd->add_option("--relay", opts->relay_url, "Keep a link to this relay (wss://host[:port]; ws:// only for localhost)");
  cmd->add_option("--relay-ca", opts->relay_ca, "CA certificate (PEM) to trust for the relay, instead of the system CAs");
  cmd->add_option("--relay-backoff-max", opts->relay_backoff_max_seconds, "Longest wait, in seconds, between relay reconnects (default 30)")
      ->check(CLI::Range(0.1, 3600.0));
  cmd->add_option("--listen", opts->listen, "Direct listener address (HOST:PORT; port 0 picks a free one)")->capture_default_str();
  cmd->add_flag("--no-direct", opts->no_direct, "Do not open the direct listener");
  cmd->add_option("--max-connections", opts->max_connections,
                  "Direct listener: connections at once (lowered to fit the open-file limit); beyond, closed unanswered")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  cmd->add_option("--max-handshakes", opts->max_handshakes,
                  "Direct listener: connections without an answered handshake (at most half of --max-connections); "
                  "beyond: HTTP 503")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  cmd->add_option("--max-handshakes-per-ip", opts->max_handshakes_per_ip,
                  "Direct listener: connections without an answered handshake per source address; beyond: HTTP 429")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  cmd->add_option("--handshake-timeout", opts->handshake_timeout_seconds,
                  "Direct listener: seconds from the WebSocket upgrade to the Noise handshake's answer")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  cmd->add_option("--allow-host", opts->allow_hosts,
                  "Also accept this Host name on the direct listener (repeatable; '.example.com' matches subdomains)");
  cmd->add_option("--web-root", opts->web_root, "Serve the web app from this directory on the direct listener");
  cmd->add_option("--app-url", opts->app_url,
                  "Where pairing links open the web app (https://…; default: the relay's origin, else the direct listener's)");
  cmd->add_option("--claude-bin", opts->claude_bin, "The Claude Code CLI to run (a path, or a name on PATH)")->capture_default_str();
  cmd->add_option("--opencode-bin", opts->opencode_bin, "The OpenCode CLI to run (a path, or a name on PATH)")->capture_default_str();
  cmd->add_option("--codex-bin", opts->codex_bin, "The Codex CLI to run (a path, best the native binary, or a name on PATH)")
      ->capture_default_str();
  cmd->add_option("--pass-env", opts->pass_env,
                  "Let every agent see this variable although tether withholds it (another vendor's model key, a "
                  "cloud or forge secret such as GITHUB_TOKEN); repeatable");
  cmd->add_option("--approval-timeout", opts->approval_timeout_seconds,
                  "Seconds a tool call waits for an answer before it is denied")
      ->check(CLI::Range(1, 7 * 24 * 3600))
      ->capture_default_str();
  cmd->add_flag("--debug-echo-accepts", opts->debug_echo_accepts, "Echo relayed connections (tests only)")->group("");
  cmd->callback([opts, &exit_code] { exit_code = run_daemon(*opts); });
}

}  // namespace tether::daemon
