#include "crypto/handshake_pattern.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

namespace tether::crypto {
namespace {

struct PatternText {
  std::string_view name;
  std::string_view initiator_premessage;
  std::string_view responder_premessage;
  std::string_view messages;  // one line per message, "->" or "<-" first
};

// The interactive patterns tether's vectors cover, copied from the spec's notation.
constexpr std::array<PatternText, 6> kPatterns{{
    {"NN", "", "", "-> e\n<- e, ee"},
    {"NK", "", "s", "-> e, es\n<- e, ee"},
    {"KK", "s", "s", "-> e, es, ss\n<- e, ee, se"},
    {"XK", "", "s", "-> e, es\n<- e, ee\n-> s, se"},
    {"XX", "", "", "-> e\n<- e, ee, s, es\n-> s, se"},
    {"IK", "", "s", "-> e, es, s, ss\n<- e, ee, se"},
}};

std::optional<Token> parse_token(std::string_view word) {
  constexpr std::array<std::pair<std::string_view, Token>, 7> kWords{{{"e", Token::e},
                                                                      {"s", Token::s},
                                                                      {"ee", Token::ee},
                                                                      {"es", Token::es},
                                                                      {"se", Token::se},
                                                                      {"ss", Token::ss},
                                                                      {"psk", Token::psk}}};
  for (const auto& [text, token] : kWords) {
    if (word == text) return token;
  }
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// "e, es, s" -> tokens. The table is ours, so a bad word is a bug caught by the vector tests.
std::vector<Token> parse_tokens(std::string_view text) {
  std::vector<Token> out;
  while (!trim(text).empty()) {
    const auto comma = text.find(',');
    if (auto token = parse_token(trim(text.substr(0, comma)))) out.push_back(*token);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
  }
  return out;
}

HandshakePattern build(const PatternText& text) {
  HandshakePattern pattern{std::string(text.name), parse_tokens(text.initiator_premessage),
                           parse_tokens(text.responder_premessage), {}};
  std::string_view lines = text.messages;
  while (!lines.empty()) {
    const auto end = lines.find('\n');
    pattern.messages.push_back(parse_tokens(lines.substr(2, end == std::string_view::npos ? end : end - 2)));
    lines = end == std::string_view::npos ? std::string_view{} : lines.substr(end + 1);
  }
  return pattern;
}

// Applies "psk<n>" (§9.2): psk0 goes first in message 0, pskN last in message N-1.
bool apply_psk_modifier(HandshakePattern& pattern, std::string_view modifier) {
  if (!modifier.starts_with("psk") || modifier.size() == 3) return false;
  std::size_t n = 0;
  const auto* first = modifier.data() + 3;
  const auto* last = modifier.data() + modifier.size();
  if (auto [ptr, ec] = std::from_chars(first, last, n); ec != std::errc{} || ptr != last) return false;
  if (n > pattern.messages.size()) return false;
  if (n == 0) {
    pattern.messages.front().insert(pattern.messages.front().begin(), Token::psk);
  } else {
    pattern.messages[n - 1].push_back(Token::psk);
  }
  pattern.name += modifier;
  return true;
}

core::Error unsupported(std::string_view name) {
  return core::make_error(core::Errc::unsupported_protocol, "unsupported Noise protocol: " + std::string(name));
}

}  // namespace

std::size_t HandshakePattern::psk_count() const {
  std::size_t count = 0;
  for (const auto& message : messages) count += static_cast<std::size_t>(std::count(message.begin(), message.end(), Token::psk));
  return count;
}

core::Result<Protocol> parse_protocol(std::string_view name) {
  constexpr std::string_view kPrefix = "Noise_";
  if (!name.starts_with(kPrefix)) return unsupported(name);
  std::string_view rest = name.substr(kPrefix.size());
  const auto underscore = rest.find('_');
  if (underscore == std::string_view::npos) return unsupported(name);
  std::string_view handshake = rest.substr(0, underscore);
  rest = rest.substr(underscore + 1);

  Protocol protocol{std::string(name), {}, CipherKind::aes_gcm};
  if (rest == "25519_AESGCM_SHA256") {
    protocol.cipher = CipherKind::aes_gcm;
  } else if (rest == "25519_ChaChaPoly_SHA256") {
    protocol.cipher = CipherKind::chacha_poly;
  } else {
    return unsupported(name);
  }

  const auto base = std::find_if(kPatterns.begin(), kPatterns.end(),
                                 [&](const PatternText& p) { return handshake.starts_with(p.name); });
  if (base == kPatterns.end()) return unsupported(name);
  protocol.pattern = build(*base);
  std::string_view modifiers = handshake.substr(base->name.size());
  while (!modifiers.empty()) {
    const auto plus = modifiers.find('+');
    if (!apply_psk_modifier(protocol.pattern, modifiers.substr(0, plus))) return unsupported(name);
    if (plus == std::string_view::npos) break;
    protocol.pattern.name += '+';
    modifiers = modifiers.substr(plus + 1);
    if (modifiers.empty()) return unsupported(name);
  }
  return protocol;
}

}  // namespace tether::crypto
