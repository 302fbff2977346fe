// `tether pair`: creates a one-time pairing offer, prints its link and QR code, waits
// for a device's handshake, shows the SAS and asks whether the device shows the same
// (--yes: do not ask), and ends once both ends confirmed it (exit 0) or the pairing was
// declined, timed out or the offer expired (exit 1).
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "cli/ask.hpp"
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
  bool yes = false;
};

std::string spaced(const std::string& sas) { return sas.size() == 6 ? sas.substr(0, 3) + " " + sas.substr(3) : sas; }

std::string why_declined(std::string_view by) {
  if (by == "device") return "the device says the codes differ";
  if (by == "owner") return "you said the codes differ";
  if (by == "left") return "the device left before it confirmed the code";
  if (by == "timeout") return "the code was not confirmed in time";
  if (by == "replaced") return "the device paired again with a newer offer";
  return "it was not confirmed";
}

struct Waiter {
  const core::HomePaths& home;
  const std::string& offer_id;

  // pair.status until its state is not `while_in` or the deadline passes (nothing then).
  core::Result<json::object> until_not(core::PairingState while_in, std::chrono::steady_clock::time_point deadline) const {
    for (;;) {
      auto status = call_daemon(home, "pair.status", {{"offer_id", offer_id}});
      if (!status) return status.error();
      if (core::parse_pairing_state(string_at(status->as_object(), "state")) != while_in ||
          std::chrono::steady_clock::now() >= deadline) {
        return status->as_object();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
};

int run_pair(const PairOptions& opts) {
  const auto home = core::resolve_home(opts.home);
  const auto fmt_of = format_of(opts.json);
  json::object params{{"mode", opts.read_only ? "read_only" : "full"}, {"ttl_seconds", opts.ttl}};
  if (!opts.name.empty()) params["name"] = opts.name;
  auto offer = call_daemon(home, "pair.create", params);
  if (!offer) return report_failure("pair", home, offer.error(), fmt_of);
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

  const Waiter wait{home, offer_id};
  const auto offer_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(opts.ttl) + std::chrono::seconds(5);
  auto status = wait.until_not(core::PairingState::open, offer_deadline);
  if (!status) return report_failure("pair", home, status.error(), fmt_of);
  auto state = core::parse_pairing_state(string_at(*status, "state"));
  if (state == core::PairingState::open || state == core::PairingState::expired) {
    return report_failure("pair", home, core::make_error(core::Errc::timeout, "the offer expired before a device paired"), fmt_of);
  }

  const std::string sas = string_at(*status, "sas");
  const std::string device = string_at(*status, "device_id");
  if (opts.json) {
    std::printf("%s\n", json::serialize(*status).c_str());
  } else {
    std::printf("\"%s\" (device %s) did the handshake.\nSAS: %s\n", string_at(*status, "device_name").c_str(), device.c_str(),
                spaced(sas).c_str());
  }
  std::fflush(stdout);

  // The owner's answer: --yes, or the person at this terminal, who may take their time
  // while the device answers (or declines) on its side.
  const auto answer_deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  bool still_open = true;
  auto keep_waiting = [&] {
    auto s = call_daemon(home, "pair.status", {{"offer_id", offer_id}});
    still_open = s && core::parse_pairing_state(string_at(s->as_object(), "state")) == core::PairingState::confirming &&
                 std::chrono::steady_clock::now() < answer_deadline;
    return still_open;
  };
  const Answer answer = opts.yes ? Answer::yes
                                 : ask_yes_no("Does the device show " + spaced(sas) + "?", keep_waiting);
  if (answer != Answer::none || still_open) {
    // No answer at all (end of input) is no: a device nobody compared is not paired.
    auto confirmed = call_daemon(home, "pair.confirm", {{"offer_id", offer_id}, {"match", answer == Answer::yes}});
    if (!confirmed && confirmed.error().code != core::Errc::wrong_state) return report_failure("pair", home, confirmed.error(), fmt_of);
    if (confirmed && !opts.json && core::parse_pairing_state(string_at(confirmed->as_object(), "state")) == core::PairingState::confirming) {
      std::printf("Waiting for the device to confirm the code…\n");
      std::fflush(stdout);
    }
  }
  status = wait.until_not(core::PairingState::confirming, answer_deadline);
  if (!status) return report_failure("pair", home, status.error(), fmt_of);
  state = core::parse_pairing_state(string_at(*status, "state"));
  if (state == core::PairingState::paired) {
    if (opts.json) std::printf("%s\n", json::serialize(*status).c_str());
    else std::printf("Paired \"%s\" (device %s).\n", string_at(*status, "device_name").c_str(), device.c_str());
    return kExitOk;
  }
  if (state == core::PairingState::confirming) {
    return report_failure("pair", home, core::make_error(core::Errc::timeout, "the device did not confirm the code in time"), fmt_of);
  }
  std::string why = why_declined(string_at(*status, "declined_by"));
  if (answer == Answer::none && string_at(*status, "declined_by") == "owner") why = "no answer (pass --yes to pair without asking)";
  return report_failure("pair", home, core::make_error(core::Errc::refused, fmt::format("not paired: {}; device {} is revoked", why, device)),
                        fmt_of);
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
  cmd->add_flag("-y,--yes", opts->yes, "Do not ask whether the codes match (the device still confirms on its side)");
  cmd->callback([opts, &exit_code] { exit_code = run_pair(*opts); });
}

}  // namespace tether::cli
