#include "providers/codex/text.hpp"

namespace tether::providers::codex {
std::string strip_ansi(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\x1b') {
      out += s[i];
      continue;
    }
    // ESC [ parameters... final byte (0x40-0x7E); any other ESC x pair is dropped whole.
    if (i + 1 < s.size() && s[i + 1] == '[') {
      i += 2;
      while (i < s.size() && !(s[i] >= 0x40 && s[i] <= 0x7E)) ++i;
    } else {
      ++i;
    }
  }
  return out;
}

}  // namespace tether::providers::codex
