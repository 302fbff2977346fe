// libFuzzer: what reaches the relay from a connecting daemon or client, and what a daemon
// reads back on its link. The first byte picks one:
//   0  the request target (relay::route_for): a connect or accept route carries exactly a
//      canonical 43-character base64url key; anything else carries nothing;
//   1  a link message (link::parse_link_message) as both sides read it: what parses
//      encodes and parses back to itself; a hello is checked against a fixed challenge
//      (link::verify_hello) and passes only with the key it names;
//   2  a run of link, unlink, connect, accept, cancel and expire steps on relay::Router,
//      with fresh tokens and client ids as the relay makes them: its counts stay in step,
//      no daemon holds more pending connects than allowed, and nothing is accepted after
//      its deadline or twice.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <variant>

#include "core/encoding.hpp"
#include "link/link_auth.hpp"
#include "link/wire.hpp"
#include "relay/router.hpp"
#include "relay/routes.hpp"

namespace {

using namespace tether;

// The challenge every hello is checked against: 32 bytes of 0x2a.
const core::Bytes kNonce(link::kNonceSize, 42);

void route(std::string_view target) {
  const relay::Route r = relay::route_for(target);
  if (r.kind == relay::RouteKind::connect || r.kind == relay::RouteKind::accept) {
    auto bytes = core::base64url_decode(r.param);
    if (r.param.size() != 43 || !bytes || bytes->size() != 32) __builtin_trap();
    if (core::base64url_encode(*bytes) != r.param) __builtin_trap();
    if (target.find(r.param) == std::string_view::npos) __builtin_trap();
  } else if (!r.param.empty()) {
    __builtin_trap();
  }
  if (r.kind == relay::RouteKind::static_file && (target.empty() || target.front() != '/' || target.starts_with("/v1/")))
    __builtin_trap();
  if (relay::is_websocket_route(r.kind) && !target.starts_with("/v1/")) __builtin_trap();
}

void message(std::string_view text) {
  auto m = link::parse_link_message(text);
  if (!m) {
    if (m.error().code != core::Errc::bad_message) __builtin_trap();
    return;
  }
  const std::string encoded = link::encode(*m);
  auto again = link::parse_link_message(encoded);
  if (!again || again->index() != m->index() || link::encode(*again) != encoded) __builtin_trap();

  if (const auto* hello = std::get_if<link::Hello>(&*m)) {
    auto id = link::verify_hello(*hello, kNonce);
    if (id) {
      if (*id != hello->daemon_id) __builtin_trap();
      auto key = core::base64url_decode(*id);
      if (!key || key->size() != 32 || core::base64url_encode(*key) != *id) __builtin_trap();
    } else if (id.error().code != core::Errc::bad_daemon_id && id.error().code != core::Errc::bad_signature) {
      __builtin_trap();
    }
  }
  if (const auto* challenge = std::get_if<link::Challenge>(&*m)) {  // the daemon's side
    auto nonce = core::base64url_decode(challenge->nonce);
    if (nonce && nonce->size() == link::kNonceSize &&
        link::link_signed_bytes(*nonce).size() != link::kLinkContext.size() + 1 + link::kNonceSize)
      __builtin_trap();
  }
}

// Two bytes per step: what to do, and whom it concerns.
void router_steps(std::string_view ops) {
  constexpr std::size_t kMaxPending = 3;
  constexpr auto kTimeout = std::chrono::seconds(10);
  relay::Router router(kMaxPending, kTimeout);
  relay::Clock::time_point now{};
  std::map<std::string, relay::ConnId> links;           // what the router should hold
  std::map<std::string, relay::PendingConnect> pending;  // token -> connect
  std::set<std::string> done;                            // tokens accepted, cancelled or expired
  relay::ConnId next_id = 1;
  const std::string daemons[] = {"dA", "dB", "dC"};
  for (std::size_t i = 0; i + 1 < ops.size(); i += 2) {
    const auto what = static_cast<unsigned char>(ops[i]);
    const auto who = static_cast<unsigned char>(ops[i + 1]);
    const std::string& daemon = daemons[who % 3];
    switch (what % 7) {
      case 0: {  // a daemon links (a fresh connection)
        const relay::ConnId id = next_id++;
        auto old = router.link(daemon, id);
        auto expected = links.find(daemon);
        if (old != (expected == links.end() ? std::nullopt : std::optional<relay::ConnId>(expected->second)))
          __builtin_trap();
        links[daemon] = id;
        break;
      }
      case 1: {  // a link ends (maybe one already replaced)
        const relay::ConnId id = who % 2 == 0 && links.count(daemon) ? links[daemon] : who;
        router.unlink(daemon, id);
        if (links.count(daemon) && links[daemon] == id) links.erase(daemon);
        break;
      }
      case 2: {  // a client connects
        const relay::ConnId client = next_id++;
        const std::string token = "t" + std::to_string(client);
        std::size_t held = 0;
        for (const auto& [t, p] : pending) held += p.daemon_id == daemon;
        auto r = router.begin_connect(daemon, client, token, now);
        if (!links.count(daemon)) {
          if (r || r.error().code != core::Errc::not_linked) __builtin_trap();
        } else if (held >= kMaxPending) {
          if (r || r.error().code != core::Errc::too_many_pending) __builtin_trap();
        } else {
          if (!r || *r != links[daemon]) __builtin_trap();
          pending[token] = relay::PendingConnect{token, daemon, client, now + kTimeout};
        }
        break;
      }
      case 3: {  // a daemon accepts a token (a live one, or one already used)
        std::string token = "t" + std::to_string(who);
        if (who % 2 == 0 && !pending.empty()) token = std::next(pending.begin(), who % pending.size())->first;
        auto taken = router.take_accept(token, now);
        auto p = pending.find(token);
        const bool live = p != pending.end() && now < p->second.deadline;
        if (taken.has_value() != live) __builtin_trap();
        if (taken) {
          if (taken->client != p->second.client || taken->daemon_id != p->second.daemon_id || done.count(token))
            __builtin_trap();
          pending.erase(p);
          done.insert(token);
        }
        break;
      }
      case 4: {  // a waiting client goes away
        const relay::ConnId client = who;
        router.cancel_client(client);
        for (auto it = pending.begin(); it != pending.end(); ++it) {
          if (it->second.client == client) {
            done.insert(it->first);
            pending.erase(it);
            break;
          }
        }
        break;
      }
      case 5:  // time passes
        now += std::chrono::milliseconds(who * 97);
        break;
      case 6: {  // the relay's sweep
        for (const auto& p : router.expire(now)) {
          auto it = pending.find(p.token);
          if (it == pending.end() || p.deadline > now || done.count(p.token)) __builtin_trap();
          pending.erase(it);
          done.insert(p.token);
        }
        break;
      }
    }
    if (router.pending_count() != pending.size() || router.link_count() != links.size()) __builtin_trap();
    for (const auto& d : daemons) {
      std::size_t held = 0;
      for (const auto& [t, p] : pending) held += p.daemon_id == d;
      if (router.pending_for(d) != held || held > kMaxPending) __builtin_trap();
      auto l = router.link_of(d);
      if (l.has_value() != (links.count(d) == 1) || (l && *l != links[d])) __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0: route(rest); break;
    case 1: message(rest); break;
    case 2: router_steps(rest.substr(0, 128)); break;
  }
  return 0;
}
