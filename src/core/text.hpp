// Small text edits that several layers share (an agent's stderr, a file's last line, text
// from outside shown on a terminal or written to a log). Pure.
#pragma once

#include <string>
#include <string_view>

namespace tether::core {

// `text` without the line ends ('\n', '\r') at its end.
std::string without_trailing_newlines(std::string_view text);

// What visible_controls leaves as it is.
enum class KeepControls {
  line_breaks_and_tabs,  // '\n', "\r\n" and '\t' stay: text printed as lines (an agent's answer)
  none,                  // everything is shown: one line of a log or a table cell
};

// `text` with every character that could steer a terminal or reorder what is shown made
// visible instead: C0 controls (ESC, BEL, CR, …) and DEL as "\x1b", C1 controls and the
// bidirectional controls (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069) as "\u202e".
// Everything else, invalid UTF-8 included, is left as it is.
std::string visible_controls(std::string_view text, KeepControls keep = KeepControls::line_breaks_and_tabs);

// Whether `text` holds any character visible_controls(text, KeepControls::none) would change.
bool has_controls(std::string_view text);

}  // namespace tether::core
