// `tether pair`: creates a one-time pairing offer, prints its link and QR code,
// and waits until a device pairs (printing the SAS to compare) or the offer expires.
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>

#include "cli/commands.hpp"
#include "cli/local_client.hpp"
#include "cli/output.hpp"
#include "core/link_states.hpp"
#include "cli/qr_text.hpp"

namespace tether::cli {
namespace {

namespace json = boost::json;

struct PairOptions {
  std::optional<std::string> home;
  std::string name;
  bool read_only = false;
  int ttl = 300;
  bool json = false;
  bool no_qr = false;
};

int run_pair(const PairOptions& opts) {
  const auto home = core::resolve_home(opts.home);
  json::object params{{"mode", opts.read_only ? "read_only" : "full"}, {"ttl_seconds", opts.ttl}};
  if (!opts.name.empty()) params["name"] = opts.name;
  auto offer = call_daemon(home, "pair.create", params);
  if (!offer) return report_failure("pair", home, offer.error(), format_of(opts.json));
  const auto& o = offer->as_object();
  const std::string link = string_at(o, "link");
  const std::string offer_id = string_at(o, "offer_id");
  if (opts.json) {
    std::printf("%s\n", json::serialize(o).c_str());
  } else {
    if (!opts.no_qr) {
      auto qr = qr_text(link);
      if (qr) std::printf("%s\n", qr->c_str());
    }
    std::printf("Open this link on the device to pair (%s, expires in %d s):\n\n  %s\n\n", opts.read_only ? "read-only" : "full access",
                opts.ttl, link.c_str());
    std::printf("Waiting for a device…\n");
  }
  std::fflush(stdout);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(opts.ttl) + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    auto status = call_daemon(home, "pair.status", {{"offer_id", offer_id}});
    if (!status) return report_failure("pair", home, status.error(), format_of(opts.json));
    const auto& s = status->as_object();
    const auto state = core::parse_pairing_state(string_at(s, "state"));
    if (state == core::PairingState::expired) break;
    if (state == core::PairingState::paired && !string_at(s, "sas").empty()) {
      if (opts.json) {
        std::printf("%s\n", json::serialize(s).c_str());
      } else {
        const std::string sas = string_at(s, "sas");
        std::printf("Paired \"%s\" (device %s).\nSAS: %s %s — check that the device shows the same code.\n",
                    string_at(s, "device_name").c_str(), string_at(s, "device_id").c_str(), sas.substr(0, 3).c_str(),
                    sas.substr(3).c_str());
      }
      return kExitOk;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::fprintf(stderr, "tether pair: the offer expired before a device paired\n");
  return kExitFailure;
}

}  // namespace

void register_pair(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<PairOptions>();
  auto* cmd = app.add_subcommand("pair", "Pair a new device: prints a one-time link and QR code, then waits for it");
  cmd->add_option("--home", opts->home, "State directory (default: $TETHER_HOME, else ~/.tether)");
  cmd->add_option("--name", opts->name, "A name for the device")->check(CLI::Validator(
      [](std::string& v) { return v.size() <= 64 ? std::string() : std::string("at most 64 bytes"); }, "NAME"));
  cmd->add_flag("--read-only", opts->read_only, "The device may list and watch, never act");
  cmd->add_option("--ttl", opts->ttl, "Seconds until the offer expires")->check(CLI::Range(1, 3600))->capture_default_str();
  cmd->add_flag("--json", opts->json, "Print the offer and the result as JSON lines");
  cmd->add_flag("--no-qr", opts->no_qr, "Do not print the QR code");
  cmd->callback([opts, &exit_code] { exit_code = run_pair(*opts); });
}

}  // namespace tether::cli
