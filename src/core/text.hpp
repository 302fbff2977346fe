// Small text edits that several layers share (an agent's stderr, a file's last line). Pure.
#pragma once

#include <string>
#include <string_view>

namespace tether::core {

// `text` without the line ends ('\n', '\r') at its end.
std::string without_trailing_newlines(std::string_view text);

}  // namespace tether::core
