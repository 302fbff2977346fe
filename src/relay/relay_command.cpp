#include "relay/relay_command.hpp"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <memory>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "core/log.hpp"
#include "net/open_files.hpp"
#include "net/runtime.hpp"
#include "relay/relay_server.hpp"

namespace tether::relay {
namespace {

constexpr int kExitRuntime = 1;
constexpr int kExitRefused = 2;
constexpr auto kShutdownDeadline = std::chrono::seconds(2);
constexpr std::size_t kReservedDescriptors = 32;  // logs, the listener, resolver, slack

struct RelayFlags {
  std::string listen = "127.0.0.1:8443";
  std::string cert;
  std::string key;
  bool insecure_http = false;
  std::string web_root;
  bool verbose = false;
  double idle_timeout_s = 60;
  double header_timeout_s = 10;
  double accept_timeout_s = 10;
  RelayOptions options;
};

std::chrono::steady_clock::duration seconds(double s) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(s));
}

// A relay holds a descriptor per connection: take what the kernel allows (as far as the
// cap needs), and keep the cap below it so "relay full" is answered before accept() fails.
void fit_descriptor_budget(RelayOptions& o) {
  const auto limit = net::raise_open_file_limit(o.max_connections + kReservedDescriptors);
  const auto budget = net::connection_budget(limit, kReservedDescriptors, o.max_connections);
  if (budget < o.max_connections) {
    spdlog::warn("--max-connections {} is above the descriptor limit; using {}", o.max_connections, budget);
    o.max_connections = budget;
  }
}

// A link is a connection in the total, and each of its clients needs two more: links
// alone must never fill the relay, so they get at most half of the connections.
void fit_link_budget(RelayOptions& o) {
  const std::size_t budget = std::max<std::size_t>(1, o.max_connections / 2);
  if (o.max_links > budget) {
    spdlog::warn("--max-links {} is above half of --max-connections {}; using {}", o.max_links, o.max_connections, budget);
    o.max_links = budget;
  }
}

int run_relay(RelayFlags f) {
  core::init_logging(std::nullopt, f.verbose);
  RelayOptions o = f.options;
  auto listen = parse_listen_address(f.listen);
  if (!listen) {
    std::fprintf(stderr, "tether relay: %s\n", listen.error().message.c_str());
    return kExitRefused;
  }
  o.address = listen->address;
  o.port = listen->port;
  const bool tls = !f.cert.empty() || !f.key.empty();
  if (tls && (f.cert.empty() || f.key.empty())) {
    std::fprintf(stderr, "tether relay: TLS needs both --cert and --key\n");
    return kExitRefused;
  }
  if (tls && f.insecure_http) {
    std::fprintf(stderr, "tether relay: --insecure-http and --cert/--key exclude each other\n");
    return kExitRefused;
  }
  if (!tls && !f.insecure_http) {
    std::fprintf(stderr,
                 "tether relay: give --cert FILE --key FILE (PEM) to serve TLS, or --insecure-http when a "
                 "TLS-terminating proxy sits in front of the relay\n");
    return kExitRefused;
  }
  if (tls) {
    o.cert_file = f.cert;
    o.key_file = f.key;
  }
  o.insecure_http = f.insecure_http;
  if (!f.web_root.empty()) o.web_root = f.web_root;
  o.idle_timeout = seconds(f.idle_timeout_s);
  o.header_timeout = seconds(f.header_timeout_s);
  o.accept_timeout = seconds(f.accept_timeout_s);
  fit_descriptor_budget(o);
  fit_link_budget(o);

  net::Runtime runtime;
  auto relay = RelayServer::start(runtime, o);
  if (!relay) {
    std::fprintf(stderr, "tether relay: %s\n", relay.error().message.c_str());
    return relay.error().code == core::Errc::listen ? kExitRuntime : kExitRefused;
  }
  if (f.insecure_http) {
    spdlog::warn("*** --insecure-http: serving PLAIN HTTP. Run this only behind a proxy that terminates TLS; "
                 "never expose it directly. ***");
  }
  if (o.web_root) spdlog::info("serving the web app from {}", o.web_root->string());
  const std::string scheme = tls ? "https" : "http";
  const std::string host = o.address.find(':') != std::string::npos ? "[" + o.address + "]" : o.address;
  spdlog::info("tether relay listening on {}://{}:{}", scheme, host, (*relay)->port());
  std::printf("tether relay listening on %s://%s:%u\n", scheme.c_str(), host.c_str(), (*relay)->port());
  std::fflush(stdout);

  bool stopping = false;
  runtime.on_signals({SIGTERM, SIGINT}, [&](int sig) {
    if (stopping) return;
    stopping = true;
    spdlog::info("received signal {}; closing connections", sig);
    auto cancel_deadline = runtime.after(kShutdownDeadline, [&] {
      spdlog::warn("shutdown deadline passed; dropping the remaining connections");
      runtime.stop();
    });
    runtime.cancel_timers_and_signals();
    (*relay)->shutdown(cancel_deadline);
  });
  runtime.run();
  relay->reset();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

void register_relay_command(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<RelayFlags>();
  auto& o = f->options;
  auto* cmd = app.add_subcommand("relay", "Run a relay: lets devices reach daemons that have no open ports");
  cmd->add_option("--listen", f->listen, "Address and port to listen on (port 0: any free port)")->capture_default_str();
  cmd->add_option("--cert", f->cert, "TLS certificate chain (PEM)");
  cmd->add_option("--key", f->key, "TLS private key (PEM)");
  cmd->add_flag("--insecure-http", f->insecure_http, "Serve plain HTTP, for a relay behind a TLS-terminating proxy");
  cmd->add_option("--web-root", f->web_root, "Serve the web app's static files from DIR (off by default)");
  const CLI::AsSizeValue size(false);
  cmd->add_option("--max-frame", o.max_frame_bytes, "Largest WebSocket message; bigger ones close with 1009")
      ->transform(size)->capture_default_str();
  cmd->add_option("--max-connections", o.max_connections, "Open connections in total; beyond: HTTP 503 relay full")
      ->check(CLI::Range(1, 1000000))->capture_default_str();
  cmd->add_option("--max-connections-per-ip", o.max_connections_per_ip,
                  "Open connections per source address; beyond: HTTP 429")
      ->check(CLI::Range(1, 1000000))->capture_default_str();
  cmd->add_option("--max-pending-per-daemon", o.max_pending_per_daemon,
                  "Connects waiting for one daemon's accept; beyond: close 4429")
      ->check(CLI::Range(1, 100000))->capture_default_str();
  cmd->add_option("--max-links", o.max_links,
                  "Daemon links in total (at most half of --max-connections); beyond: close 1013 relay full")
      ->check(CLI::Range(1, 1000000))->capture_default_str();
  cmd->add_option("--max-links-per-ip", o.max_links_per_ip,
                  "Daemon links per source address (a link replacing its own key's is not one more); beyond: close 4429")
      ->check(CLI::Range(1, 1000000))->capture_default_str();
  cmd->add_option("--rate", o.rate_bytes_per_second, "Bytes per second read from each spliced socket (0: unlimited)")
      ->transform(size)->capture_default_str();
  cmd->add_option("--burst", o.burst_bytes, "Token bucket size for --rate, in bytes")->transform(size)->capture_default_str();
  cmd->add_option("--write-queue", o.write_queue_bytes, "Bytes queued to one socket before it is closed as too slow")
      ->transform(size)->capture_default_str();
  cmd->add_option("--max-header", o.max_header_bytes, "Largest HTTP request header; bigger: HTTP 431")
      ->transform(size)->capture_default_str();
  cmd->add_option("--idle-timeout", f->idle_timeout_s, "Seconds without any frame before a WebSocket is closed (pings at half)")
      ->check(CLI::Range(0.1, 86400.0))->capture_default_str();
  cmd->add_option("--header-timeout", f->header_timeout_s, "Seconds to receive request headers (and a link's hello)")
      ->check(CLI::Range(0.1, 3600.0))->capture_default_str();
  cmd->add_option("--accept-timeout", f->accept_timeout_s, "Seconds a connect waits for the daemon's accept")
      ->check(CLI::Range(0.1, 3600.0))->capture_default_str();
  cmd->add_flag("-v,--verbose", f->verbose, "Log debug messages (never payloads or tokens)");
  cmd->callback([f, &exit_code] { exit_code = run_relay(*f); });
}

}  // namespace tether::relay
