// What an adapter hands on must be JSON the daemon can store and read back: valid UTF-8,
// the same after a round trip. Doubles only to 12 digits: Boost.JSON 1.81 does not parse
// every double's shortest form back to the same double (1.0000000000000001E125 reads
// back as 1E125, a raw line's 40-digit id changes in its last digits).
#pragma once

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace tether::fuzz {

inline bool same_json(const boost::json::value& a, const boost::json::value& b) {
  if (a.is_double() && b.is_double()) {
    const double x = a.get_double(), y = b.get_double();
    return x == y || std::fabs(x - y) <= 1e-12 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_object()) {
    const auto& o = a.get_object();
    const auto& p = b.get_object();
    if (o.size() != p.size()) return false;
    for (const auto& [key, v] : o) {
      const boost::json::value* w = p.if_contains(key);
      if (!w || !same_json(v, *w)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    const auto& x = a.get_array();
    const auto& y = b.get_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!same_json(x[i], y[i])) return false;
    }
    return true;
  }
  return a == b;
}

inline void check_round_trip(const boost::json::object& data) {
  boost::system::error_code ec;
  boost::json::parse_options options;
  options.max_depth = 256;
  const boost::json::value back = boost::json::parse(boost::json::serialize(data), ec, {}, options);
  if (ec || !back.is_object() || !same_json(back, boost::json::value(data))) __builtin_trap();
}

}  // namespace tether::fuzz
