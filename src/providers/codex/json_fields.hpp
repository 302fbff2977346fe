// Reading fields of untrusted JSON objects without throwing: a missing or mistyped field
// reads as empty. Internal to tether_provider_codex.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <limits>
#include <string_view>

namespace tether::providers::codex::fields {

inline const boost::json::object* object_at(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

inline const boost::json::array* array_at(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v ? v->if_array() : nullptr;
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

// A count: a non-negative integer, clamped; anything else is 0.
inline std::int64_t count_at(const boost::json::object& o, std::string_view key) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  const boost::json::value* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return v->get_int64() > 0 ? v->get_int64() : 0;
  if (v->is_uint64()) {
    return v->get_uint64() > static_cast<std::uint64_t>(kMax) ? kMax : static_cast<std::int64_t>(v->get_uint64());
  }
  if (v->is_double()) {
    const double d = v->get_double();
    if (!(d > 0)) return 0;  // also NaN
    return d >= 9.2e18 ? kMax : static_cast<std::int64_t>(d);
  }
  return 0;
}

// a + b without overflow (counts are non-negative).
inline std::int64_t add_counts(std::int64_t a, std::int64_t b) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  return a > kMax - b ? kMax : a + b;
}

}  // namespace tether::providers::codex::fields
