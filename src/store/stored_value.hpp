// Reading a vocabulary column back: the text a row holds, parsed with the value's one
// conversion, or a clear error when the store holds a name this build does not know.
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/utf8.hpp"

namespace tether::store {

// `parse` is the value's parse_* (core/*.hpp); `where` names the column ("sessions.status").
template <class Parse>
auto stored_value(Parse parse, std::string_view where, const std::string& text)
    -> core::Result<typename decltype(parse(std::string_view()))::value_type> {
  if (auto value = parse(text)) return *value;
  return core::make_error(core::Errc::corrupt, fmt::format("{} holds \"{}\", which this tether does not know",
                                                           where, core::cut_utf8(text, 64)));
}

}  // namespace tether::store
