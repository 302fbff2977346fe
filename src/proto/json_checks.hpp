#pragma once
// What keeps a value JSON on its way in and out. Boost.JSON reads an out-of-range literal
// such as 1e999 as an infinite double and then writes it as `Infinity`, which no JSON reader
// accepts; and it writes a string's bytes as they are, valid UTF-8 or not. Pure.
#include <boost/json/value.hpp>

#include <cstddef>
#include <string>

namespace tether::proto {

// How many numbers in `value` (at any depth) are not finite.
std::size_t count_non_finite(const boost::json::value& value);

// Replaces every non-finite number in `value` with null; returns how many it replaced.
std::size_t null_non_finite(boost::json::value& value);

// `value` as JSON text that is always valid UTF-8: when a string or key holds bytes that are
// not, they are written as U+FFFD (core::utf8_prefix) — never sent as they are.
std::string serialize_utf8(const boost::json::value& value);

}  // namespace tether::proto
