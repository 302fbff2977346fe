// Defensive reads of OpenCode's JSON for the adapter's own files: a missing or mistyped
// field reads as empty/zero, never throws. And a UTF-8-safe cut for text kept in events.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace tether::providers::opencode::fields {

inline const boost::json::object* object_at(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

inline std::string_view string_at(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  const boost::json::string* s = v ? v->if_string() : nullptr;
  return s ? std::string_view(*s) : std::string_view();
}

inline bool has_string(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v && v->is_string();
}

// A count: a non-negative integer (clamped); anything else is 0.
inline std::int64_t count_at(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return v->get_int64() > 0 ? v->get_int64() : 0;
  if (v->is_uint64()) return v->get_uint64() > 0x7fffffffffffffffULL ? 0x7fffffffffffffffLL : static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double()) {
    const double d = v->get_double();
    if (!(d > 0)) return 0;  // also NaN
    return d >= 9.2e18 ? 0x7fffffffffffffffLL : static_cast<std::int64_t>(d);
  }
  return 0;
}

inline double number_at(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (!v || !v->is_number()) return 0;
  const double d = v->to_number<double>();
  return std::isfinite(d) ? d : 0;
}

// The longest prefix of `text` of at most `max` bytes that does not end inside a UTF-8 sequence.
inline std::string_view cut_utf8(std::string_view text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t end = max;
  // Step back over continuation bytes to the start of the sequence the cut falls in.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

// Text from outside (a body, a non-JSON event, stderr) made fit for a JSON string: each
// byte that does not start a valid UTF-8 sequence becomes U+FFFD, and the result is cut
// at a character boundary to at most `max` bytes.
inline std::string utf8_excerpt(std::string_view text, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n > 1) {
      bool ok = i + n <= text.size();
      for (std::size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
      if (ok) {
        const auto c1 = static_cast<unsigned char>(text[i + 1]);
        // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
        ok = !(n == 2 && c < 0xC2) && !(n == 3 && c == 0xE0 && c1 < 0xA0) && !(n == 3 && c == 0xED && c1 >= 0xA0) &&
             !(n == 4 && c == 0xF0 && c1 < 0x90) && !(n == 4 && (c > 0xF4 || (c == 0xF4 && c1 >= 0x90)));
      }
      if (!ok) n = 0;
    }
    const std::string_view piece = n == 0 ? std::string_view("\xEF\xBF\xBD") : text.substr(i, n);
    if (out.size() + piece.size() > max) break;
    out.append(piece);
    i += n == 0 ? 1 : n;
  }
  return out;
}

}  // namespace tether::providers::opencode::fields
