// Attaching a real terminal to a terminal session (local daemon): raw mode, the
// session's output replayed then streamed to stdout, keystrokes sent as
// terminal.input, window size changes (SIGWINCH) as terminal.resize. Ctrl-\ then d
// detaches; Ctrl-\ twice sends one Ctrl-\.
#pragma once

#include <string>

#include "core/home.hpp"

namespace tether::cli {

inline constexpr unsigned char kDetachPrefix = 0x1c;  // Ctrl-backslash
inline constexpr unsigned char kDetachKey = 'd';

// Returns the exit code: the program's exit status when it ended, 0 on detach.
int attach_terminal(const core::HomePaths& home, const std::string& session);

// Splits typed bytes into what goes to the program and whether the user detached.
// `prefix_pending` carries a Ctrl-\ across reads.
struct KeyFilter {
  bool prefix_pending = false;
  bool detached = false;
  std::string feed(std::string_view typed);
};

}  // namespace tether::cli
