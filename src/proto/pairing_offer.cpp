#include "proto/pairing_offer.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>

#include "core/encoding.hpp"

namespace tether::proto {
namespace {

namespace json = boost::json;

constexpr std::uint8_t kVersion = 2;
constexpr std::uint8_t kRelayIsLink = 1, kRelayFollows = 2, kDirectLoopback = 4, kDirectFollows = 8;
constexpr std::size_t kMaxOfferChars = 4096;
constexpr std::string_view kLoopback = "http://127.0.0.1:";

core::Error bad(std::string what) { return core::make_error(core::Errc::bad_link, std::move(what)); }

// A loopback direct listener's port, 0 when the origin is anything else.
std::uint16_t loopback_port(std::string_view origin) {
  if (!origin.starts_with(kLoopback)) return 0;
  const auto digits = origin.substr(kLoopback.size());
  if (digits.empty() || digits.size() > 5 || digits[0] == '0' || !std::ranges::all_of(digits, [](char c) { return c >= '0' && c <= '9'; })) {
    return 0;
  }
  const auto port = std::stoul(std::string(digits));
  return port <= 65535 ? static_cast<std::uint16_t>(port) : 0;
}

bool url_with_scheme(std::string_view s, std::initializer_list<std::string_view> schemes) {
  for (auto scheme : schemes) {
    if (s.starts_with(scheme) && s.size() > scheme.size()) return true;
  }
  return false;
}

void put_string(std::vector<std::uint8_t>& out, std::string_view s) {
  out.push_back(static_cast<std::uint8_t>(s.size()));
  out.insert(out.end(), s.begin(), s.end());
}

std::optional<std::array<std::uint8_t, 32>> key32(const json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  if (!v || !v->is_string()) return std::nullopt;
  auto raw = core::base64url_decode(v->as_string());
  if (!raw || raw->size() != 32) return std::nullopt;
  std::array<std::uint8_t, 32> k{};
  std::ranges::copy(*raw, k.begin());
  return k;
}

core::Result<PairingOffer> read_v1(const core::Bytes& raw) {
  boost::system::error_code ec;
  const json::value v = json::parse(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()), ec);
  if (ec || !v.is_object()) return bad("this is not a tether pairing link");
  const auto& o = v.as_object();
  PairingOffer offer;
  auto id = key32(o, "daemon_id");
  if (!id) return bad("the pairing link has no valid daemon_id");
  offer.daemon_key = *id;
  offer.noise_key = key32(o, "noise_key");
  if (!offer.noise_key) return bad("the pairing link has no valid noise_key");
  const auto* secret = o.if_contains("secret");
  if (!secret || !secret->is_string()) return bad("the pairing link has no valid secret");
  auto raw_secret = core::base64url_decode(secret->as_string());
  if (!raw_secret || (raw_secret->size() != 16 && raw_secret->size() != 32)) return bad("the pairing link has no valid secret");
  offer.secret = std::move(*raw_secret);
  for (auto [field, name] : {std::pair{&offer.relay, "relay"}, std::pair{&offer.direct, "direct"}}) {
    const auto* s = o.if_contains(name);
    if (s && s->is_string()) *field = std::string(s->as_string());
    else if (s && !s->is_null()) return bad(std::string("the pairing link's ") + name + " is not a string");
  }
  return offer;
}

struct Reader {
  const core::Bytes& raw;
  std::size_t at = 0;
  bool take(std::size_t n) { return raw.size() - at >= n; }
  std::optional<std::string> string() {
    if (!take(1)) return std::nullopt;
    const std::size_t n = raw[at++];
    if (n == 0 || !take(n)) return std::nullopt;
    std::string s(raw.begin() + static_cast<std::ptrdiff_t>(at), raw.begin() + static_cast<std::ptrdiff_t>(at + n));
    at += n;
    return s;
  }
};

core::Result<PairingOffer> read_v2(const core::Bytes& raw, std::string_view base) {
  if (raw.size() < 2 + 32 + 16) return bad("the pairing link is cut short");
  const std::uint8_t flags = raw[1];
  if ((flags & ~(kRelayIsLink | kRelayFollows | kDirectLoopback | kDirectFollows)) != 0 ||
      (flags & (kRelayIsLink | kRelayFollows)) == (kRelayIsLink | kRelayFollows) ||
      (flags & (kDirectLoopback | kDirectFollows)) == (kDirectLoopback | kDirectFollows) || flags == 0) {
    return bad("the pairing link's flags are not valid");
  }
  PairingOffer offer;
  std::copy_n(raw.begin() + 2, 32, offer.daemon_key.begin());
  offer.secret.assign(raw.begin() + 34, raw.begin() + 50);
  Reader r{raw, 50};
  if (flags & kRelayIsLink) {
    offer.relay = relay_url_of_base(base);
    if (offer.relay.empty()) return bad("this offer takes its relay from its link: give the whole link, not the offer alone");
  }
  if (flags & kRelayFollows) {
    auto s = r.string();
    if (!s) return bad("the pairing link's relay address is cut short");
    offer.relay = std::move(*s);
  }
  if (flags & kDirectLoopback) {
    if (!r.take(2)) return bad("the pairing link's direct port is cut short");
    const unsigned port = (raw[r.at] << 8) | raw[r.at + 1];
    r.at += 2;
    if (port == 0) return bad("the pairing link's direct port is 0");
    offer.direct = std::string(kLoopback) + std::to_string(port);
  }
  if (flags & kDirectFollows) {
    auto s = r.string();
    if (!s) return bad("the pairing link's direct address is cut short");
    offer.direct = std::move(*s);
  }
  if (r.at != raw.size()) return bad("the pairing link has bytes after its offer");
  return offer;
}

}  // namespace

std::string relay_url_of_base(std::string_view base) {
  if (base.starts_with("https://") && base.size() > 8) return "wss://" + std::string(base.substr(8));
  if (base.starts_with("http://") && base.size() > 7) return "ws://" + std::string(base.substr(7));
  return {};
}

std::string encode_offer(const PairingOffer& offer, std::string_view link_base) {
  std::vector<std::uint8_t> out{kVersion, 0};
  out.insert(out.end(), offer.daemon_key.begin(), offer.daemon_key.end());
  out.insert(out.end(), offer.secret.begin(), offer.secret.end());
  std::uint8_t flags = 0;
  if (!offer.relay.empty()) {
    const std::string via_link = relay_url_of_base(link_base);
    if (!via_link.empty() && via_link == offer.relay) {
      flags |= kRelayIsLink;
    } else {
      flags |= kRelayFollows;
      put_string(out, offer.relay);
    }
  }
  if (!offer.direct.empty()) {
    if (const auto port = loopback_port(offer.direct)) {
      flags |= kDirectLoopback;
      out.push_back(static_cast<std::uint8_t>(port >> 8));
      out.push_back(static_cast<std::uint8_t>(port & 0xff));
    } else {
      flags |= kDirectFollows;
      put_string(out, offer.direct);
    }
  }
  out[1] = flags;
  return core::base64url_encode(out);
}

core::Result<PairingOffer> read_offer(std::string_view link_or_offer, std::string_view bare_base) {
  std::string_view text = link_or_offer;
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' || text.back() == '\t')) text.remove_suffix(1);
  std::string_view base = bare_base;
  if (const auto at = text.find("#offer="); at != std::string_view::npos) {
    base = text.substr(0, at);
    if (base.ends_with('/')) base.remove_suffix(1);
    text = text.substr(at + 7);
  }
  if (text.empty()) return bad("the link has no pairing offer");
  if (text.size() > kMaxOfferChars) return bad("the pairing offer is too long");
  auto raw = core::base64url_decode(text);
  if (!raw || raw->empty()) return bad("this is not a tether pairing link");
  core::Result<PairingOffer> offer = (*raw)[0] == '{' ? read_v1(*raw)
                                     : (*raw)[0] == kVersion ? read_v2(*raw, base)
                                                             : bad("this pairing link is from another version of tether");
  if (!offer) return offer;
  if (!offer->relay.empty() && !url_with_scheme(offer->relay, {"wss://", "ws://", "https://", "http://"})) {
    return bad("the pairing link has a malformed relay URL");
  }
  if (!offer->direct.empty() && !url_with_scheme(offer->direct, {"http://", "https://", "ws://", "wss://"})) {
    return bad("the pairing link has a malformed direct address");
  }
  if (offer->relay.empty() && offer->direct.empty()) return bad("the pairing link names neither a relay nor a direct address");
  return offer;
}

}  // namespace tether::proto
