// `tether remote add|ls|rm`: this CLI as a paired device of other daemons, and the
// global `--host NAME` that sends any command to one of them instead of the local daemon.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "cli/ask.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/remote_client.hpp"
#include "cli/remote_hosts.hpp"
#include "core/encoding.hpp"
#include "core/link_states.hpp"
#include "link/close_codes.hpp"
#include "crypto/identity.hpp"
#include "crypto/key_pair.hpp"
#include "proto/pairing_offer.hpp"

namespace tether::cli {
namespace {

namespace json = boost::json;

struct RemoteOptions {
  std::optional<std::string> home;
  bool json = false;
  std::string name;
  std::string link;
  std::string device_name = "tether-cli";
  std::string via;
  std::string relay_ca;
  bool yes = false;
};

// The daemon a pairing link "<base>/#offer=<offer>" (or a bare offer) names, as this CLI keeps it.
core::Result<std::pair<RemoteHost, std::string>> host_of_link(const std::string& link, const std::string& relay_ca) {
  auto offer = proto::read_offer(link);
  if (!offer) return offer.error();
  auto noise = offer->noise_key ? core::Result<crypto::Key32>(*offer->noise_key) : crypto::x25519_of_ed25519(offer->daemon_key);
  if (!noise) return core::make_error(core::Errc::bad_link, "the pairing link's daemon key is not valid");
  RemoteHost host{core::base64url_encode(offer->daemon_key), core::base64url_encode(*noise), offer->relay, offer->direct, "", "", "", relay_ca};
  return std::pair{std::move(host), core::base64url_encode(offer->secret)};
}

int run_add(const RemoteOptions& opts) {
  const auto home = core::resolve_home(opts.home);
  if (!crypto::init()) return report_failure("remote add", home, core::make_error(core::Errc::crypto, "libsodium failed to start"), format_of(opts.json));
  auto offer = host_of_link(opts.link, opts.relay_ca);
  if (!offer) return report_failure("remote add", home, offer.error(), format_of(opts.json));
  auto hosts = load_remote_hosts(home);
  if (!hosts) return report_failure("remote add", home, hosts.error(), format_of(opts.json));
  auto& [host, secret] = *offer;
  // Pairing again with a daemon this CLI is paired with replaces that entry, with the same
  // device key: the daemon then replaces its device instead of adding a second one.
  std::string earlier;
  for (const auto& [name, h] : *hosts) {
    if (h.daemon_id == host.daemon_id) earlier = name;
  }
  if (hosts->contains(opts.name) && earlier != opts.name) {
    return report_failure("remote add", home, core::make_error(core::Errc::exists, "a host named \"" + opts.name + "\" exists; remove it first"), format_of(opts.json));
  }
  const std::string via = !opts.via.empty() ? opts.via : (!host.relay.empty() ? "relay" : "direct");
  if (via == "relay") host.direct.clear();
  if (via == "direct") host.relay.clear();
  if (host.relay.empty() && host.direct.empty()) {
    return report_failure("remote add", home, core::make_error(core::Errc::bad_link, "the link offers no " + via + " address"), format_of(opts.json));
  }
  const std::string hello = json::serialize(json::object{{"pair", secret}, {"name", opts.device_name}});
  const bool yes = opts.yes;
  const bool quiet = opts.json;
  const PairConfirm confirm = [yes, quiet](const std::string& sas, const std::function<bool()>& keep_waiting) {
    const std::string code = sas.substr(0, 3) + " " + sas.substr(3);
    if (!quiet) std::printf("SAS: %s\n", code.c_str());
    std::fflush(stdout);
    return yes || ask_yes_no("Does `tether pair` on that machine show " + code + "?", keep_waiting) == Answer::yes;
  };
  core::Result<RemoteReply> reply = core::make_error(core::Errc::refused, "not tried");
  // The earlier key first; a revoked one is refused, and a fresh key pairs instead.
  for (const bool reuse : {true, false}) {
    if (reuse && earlier.empty()) continue;
    if (reuse) {
      host.device_secret = hosts->at(earlier).device_secret;
    } else {
      const auto key = crypto::KeyPair::generate();
      host.device_secret = core::base64url_encode(key.secret_key());
    }
    reply = remote_pair(host, hello, confirm, std::chrono::seconds(330));
    if (reply || reply.error().code != core::Errc::refused) break;  // refused: at the handshake
  }
  if (!reply) {
    return report_failure("remote add", home, reply.error(), format_of(opts.json));
  }
  // Paired only on the word of the daemon: pair.confirm's result "paired", or pair.changed.
  boost::system::error_code ec;
  const json::value last = json::parse(reply->reply_line, ec);
  const json::object* message = !ec && last.is_object() ? &last.as_object() : nullptr;
  const auto* result = message ? message->if_contains("result") : nullptr;
  const auto* params = message ? message->if_contains("params") : nullptr;
  auto state_in = [](const json::value* v) {
    return v && v->is_object() ? core::parse_pairing_state(string_at(v->as_object(), "state")) : std::nullopt;
  };
  const bool paired = state_in(result) == core::PairingState::paired || state_in(params) == core::PairingState::paired;
  if (!paired) {
    const bool revoked = reply->close_code == link::close_code::kDeviceRevoked || state_in(result) == core::PairingState::declined;
    return report_failure("remote add", home,
                          revoked ? core::make_error(core::Errc::revoked, "not paired: the codes were said to differ (here or at `tether pair`), "
                                                                          "so the daemon revoked this device")
                                  : core::make_error(core::Errc::closed, fmt::format("not paired: the connection ended before both ends "
                                                                                     "confirmed the code ({} {})", reply->close_code, reply->close_reason)),
                          format_of(opts.json));
  }
  host.device_id = reply->device_id;
  host.mode = reply->mode;
  if (params && params->is_object()) {
    if (const std::string m = string_at(params->as_object(), "mode"); !m.empty()) host.mode = m;
  }
  if (!earlier.empty()) hosts->erase(earlier);
  (*hosts)[opts.name] = host;
  if (auto saved = save_remote_hosts(home, *hosts); !saved) return report_failure("remote add", home, saved.error(), format_of(opts.json));
  if (opts.json) {
    std::printf("%s\n", json::serialize(json::object{{"name", opts.name}, {"daemon_id", host.daemon_id},
                                                     {"device_id", host.device_id}, {"mode", host.mode},
                                                     {"via", via}, {"sas", reply->sas}, {"replaced", !earlier.empty()}}).c_str());
  } else {
    std::printf("Paired with daemon %s as device %s (%s, via %s); both ends confirmed the code.\n", host.daemon_id.c_str(),
                host.device_id.c_str(), host.mode.c_str(), via.c_str());
  }
  return kExitOk;
}

int run_ls(const RemoteOptions& opts) {
  const auto home = core::resolve_home(opts.home);
  auto hosts = load_remote_hosts(home);
  if (!hosts) return report_failure("remote ls", home, hosts.error(), format_of(opts.json));
  if (opts.json) {
    json::array out;
    for (const auto& [name, h] : *hosts) {
      out.push_back(json::object{{"name", name}, {"daemon_id", h.daemon_id}, {"device_id", h.device_id}, {"mode", h.mode},
                                 {"via", h.direct.empty() ? "relay" : "direct"}, {"address", h.direct.empty() ? h.relay : h.direct}});
    }
    std::printf("%s\n", json::serialize(json::object{{"hosts", out}}).c_str());
    return kExitOk;
  }
  if (hosts->empty()) std::printf("No remote hosts. Add one with `tether remote add NAME '<pairing link>'`.\n");
  for (const auto& [name, h] : *hosts) {
    std::printf("%-16s %-44s %-9s %s\n", name.c_str(), h.daemon_id.c_str(), h.mode.c_str(),
                (h.direct.empty() ? h.relay : h.direct).c_str());
  }
  return kExitOk;
}

int run_rm(const RemoteOptions& opts) {
  const auto home = core::resolve_home(opts.home);
  auto hosts = load_remote_hosts(home);
  if (!hosts) return report_failure("remote rm", home, hosts.error(), format_of(opts.json));
  if (hosts->erase(opts.name) == 0) return report_failure("remote rm", home, core::make_error(core::Errc::not_found, "no host named \"" + opts.name + "\""), format_of(opts.json));
  if (auto saved = save_remote_hosts(home, *hosts); !saved) return report_failure("remote rm", home, saved.error(), format_of(opts.json));
  std::printf("Removed %s (its device key is gone; revoke the device on that daemon too).\n", opts.name.c_str());
  return kExitOk;
}

}  // namespace

void register_remote(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<RemoteOptions>();
  auto* cmd = app.add_subcommand("remote", "Use this CLI as a paired device of other daemons");
  cmd->require_subcommand(1);
  cmd->add_option("--home", opts->home, "State directory (default: $TETHER_HOME, else ~/.tether)");
  cmd->add_flag("--json", opts->json, "Print JSON");
  cmd->fallthrough();

  auto* add = cmd->add_subcommand("add", "Pair with a daemon from its pairing link (`tether pair` on that machine)");
  add->add_option("NAME", opts->name, "A name for that host")->required();
  add->add_option("LINK", opts->link, "The pairing link")->required();
  add->add_option("--device-name", opts->device_name, "How the daemon will call this device")->capture_default_str();
  add->add_option("--via", opts->via, "relay or direct (default: relay when the link has one)")->check(CLI::IsMember({"relay", "direct"}));
  add->add_option("--relay-ca", opts->relay_ca, "CA certificate (PEM) of a self-hosted relay")->check(CLI::ExistingFile);
  add->add_flag("-y,--yes", opts->yes, "Do not ask whether the codes match (`tether pair` still asks on its side)");
  add->callback([opts, &exit_code] { exit_code = run_add(*opts); });

  auto* ls = cmd->add_subcommand("ls", "List the daemons this CLI is paired with");
  ls->callback([opts, &exit_code] { exit_code = run_ls(*opts); });

  auto* rm = cmd->add_subcommand("rm", "Forget a daemon and this CLI's key for it");
  rm->add_option("NAME", opts->name, "The host's name")->required();
  rm->callback([opts, &exit_code] { exit_code = run_rm(*opts); });
}

}  // namespace tether::cli
