// An agent's output line (or event) read as one JSON object: the first step of every
// provider's translator, so that each reads blank lines, bad lines and deep nesting alike.
// Pure; what the object says is the translator's business.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string_view>

namespace tether::providers::common {

// `line` without the white space around it ("" for a blank line): what a translator reads,
// and quotes when it is not JSON.
std::string_view trim_line(std::string_view line);

// Whether a line that does not parse is tried again with its unpaired UTF-16 surrogate
// escapes made U+FFFD (core::replace_lone_surrogates): JavaScript's JSON.stringify writes
// them for a string cut inside a pair, and Boost.JSON 1.81 refuses them.
enum class LoneSurrogates { refuse, repair };

// The object `line` holds, or nullopt: not JSON, nested deeper than `max_depth`, or not an object.
// A number too large for a double (1e999) comes back as null, so that what is stored and
// passed on stays JSON (proto::null_non_finite).
std::optional<boost::json::object> parse_object(std::string_view line, unsigned max_depth, LoneSurrogates surrogates);

}  // namespace tether::providers::common
