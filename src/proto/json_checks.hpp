#pragma once
// Numbers that JSON cannot carry. Boost.JSON reads an out-of-range literal such as 1e999 as
// an infinite double and then writes it as `Infinity`, which no JSON reader accepts; a value
// read from a peer must not be stored or passed on in that state.
#include <boost/json/value.hpp>

#include <cstddef>

namespace tether::proto {

// How many numbers in `value` (at any depth) are not finite.
std::size_t count_non_finite(const boost::json::value& value);

// Replaces every non-finite number in `value` with null; returns how many it replaced.
std::size_t null_non_finite(boost::json::value& value);

}  // namespace tether::proto
