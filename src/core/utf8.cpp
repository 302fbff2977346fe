#include "core/utf8.hpp"

#include <optional>

namespace tether::core {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 if it is not one (overlong, surrogate, > U+10FFFF).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = at(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c == 0xE0) n = 3, lo = 0xA0;
  else if (c == 0xED) n = 3, hi = 0x9F;
  else if (c >= 0xE1 && c <= 0xEF) n = 3;
  else if (c == 0xF0) n = 4, lo = 0x90;
  else if (c == 0xF4) n = 4, hi = 0x8F;
  else if (c >= 0xF1 && c <= 0xF3) n = 4;
  else return 0;
  if (i + n > s.size()) return 0;
  if (at(i + 1) < lo || at(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (at(i + k) < 0x80 || at(i + k) > 0xBF) return 0;
  }
  return n;
}

// The code unit of a "\uXXXX" escape at s[i], if there is one.
std::optional<unsigned> unicode_escape(std::string_view s, std::size_t i) {
  if (i + 6 > s.size() || s[i] != '\\' || s[i + 1] != 'u') return std::nullopt;
  unsigned unit = 0;
  for (std::size_t k = i + 2; k < i + 6; ++k) {
    const char c = s[k];
    unit <<= 4;
    if (c >= '0' && c <= '9') unit |= static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f') unit |= static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') unit |= static_cast<unsigned>(c - 'A' + 10);
    else return std::nullopt;
  }
  return unit;
}

bool is_high(std::optional<unsigned> u) { return u && *u >= 0xD800 && *u <= 0xDBFF; }
bool is_low(std::optional<unsigned> u) { return u && *u >= 0xDC00 && *u <= 0xDFFF; }

}  // namespace

bool utf8_valid(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

bool utf8_prefix(std::string_view s, std::size_t limit, std::string& out) {
  out.clear();
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t n = utf8_sequence(s, i);
    const std::string_view piece = n ? s.substr(i, n) : std::string_view("\xEF\xBF\xBD");
    if (out.size() + piece.size() > limit) return true;
    out += piece;
    i += n ? n : 1;
  }
  return false;
}

std::string_view cut_utf8(std::string_view s, std::size_t limit) {
  if (s.size() <= limit) return s;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

// Escapes are read in pairs ("\\" then "u..." is not an escape); outside strings a
// backslash is invalid JSON whatever we do, so no string tracking is needed.
std::string replace_lone_surrogates(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i++];
      continue;
    }
    const auto unit = unicode_escape(s, i);
    if (is_high(unit) && is_low(unicode_escape(s, i + 6))) {
      out.append(s.substr(i, 12));
      i += 12;
    } else if (is_high(unit) || is_low(unit)) {
      out += "\\ufffd";
      i += 6;
    } else {
      out.append(s.substr(i, 2));
      i += 2;
    }
  }
  return out;
}

}  // namespace tether::core
