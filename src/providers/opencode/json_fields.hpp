// Defensive reads of OpenCode's JSON for the adapter's own files: a missing or mistyped
// field reads as empty/zero, never throws. And a UTF-8-safe cut for text kept in events.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/utf8.hpp"

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

// UTF-8 repair is shared by every provider (core/utf8.hpp).
using core::cut_utf8;
using core::utf8_excerpt;

}  // namespace tether::providers::opencode::fields
