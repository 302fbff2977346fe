// Reading fields of JSON objects from outside (an agent's output, the daemon's replies)
// without throwing: a missing or mistyped field reads as empty, false or zero. Pure,
// header-only; what a field means is the caller's business.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>

namespace tether::proto::fields {

inline const boost::json::object* object_at(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

inline const boost::json::array* array_at(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v ? v->if_array() : nullptr;
}

// The string's bytes, valid as long as `o` is.
inline std::string_view string_at(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  const boost::json::string* s = v ? v->if_string() : nullptr;
  return s ? std::string_view(*s) : std::string_view();
}

inline bool has_string(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v && v->is_string();
}

// true only for the JSON value true.
inline bool bool_at(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

// An integer of either sign (one above the int64 range reads as its maximum); anything else is 0.
inline std::int64_t int_at(const boost::json::object& o, std::string_view key) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  const boost::json::value* v = o.if_contains(key);
  if (v && v->is_int64()) return v->get_int64();
  if (v && v->is_uint64()) return v->get_uint64() > static_cast<std::uint64_t>(kMax) ? kMax : static_cast<std::int64_t>(v->get_uint64());
  return 0;
}

// A count: a non-negative integer, clamped (a number with a fraction is cut); anything else is 0.
inline std::int64_t count_at(const boost::json::object& o, std::string_view key) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  const boost::json::value* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return v->get_int64() > 0 ? v->get_int64() : 0;
  if (v->is_uint64()) return v->get_uint64() > static_cast<std::uint64_t>(kMax) ? kMax : static_cast<std::int64_t>(v->get_uint64());
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

// Any finite number (an amount, a cost); anything else is 0.
inline double number_at(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (!v || !v->is_number()) return 0;
  const double d = v->to_number<double>();  // no throw: a number converts to double
  return std::isfinite(d) ? d : 0;
}

}  // namespace tether::proto::fields
