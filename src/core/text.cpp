#include "core/text.hpp"

#include <fmt/format.h>

#include <cstdint>

namespace tether::core {
namespace {

// The code point of the control character at text[i] and its length in bytes, or length 0
// when text[i] does not start one. `keep` spares '\n' and '\t'.
struct Control {
  std::uint32_t code = 0;
  std::size_t length = 0;
};

Control control_at(std::string_view text, std::size_t i, KeepControls keep) {
  const auto byte = [&](std::size_t k) { return k < text.size() ? static_cast<unsigned char>(text[k]) : 0u; };
  const unsigned c = byte(i);
  if (c < 0x20 || c == 0x7f) {
    // '\r' only as the first half of "\r\n": alone it returns to the line's start, to overwrite it.
    if (keep == KeepControls::line_breaks_and_tabs && (c == '\n' || c == '\t' || (c == '\r' && byte(i + 1) == '\n'))) {
      return {};
    }
    return {c, 1};
  }
  if (c == 0xC2 && byte(i + 1) >= 0x80 && byte(i + 1) <= 0x9F) return {byte(i + 1), 2};  // C1: U+0080–U+009F
  if (c == 0xD8 && byte(i + 1) == 0x9C) return {0x061C, 2};                             // ARABIC LETTER MARK
  if (c == 0xE2 && byte(i + 1) == 0x80) {
    const unsigned t = byte(i + 2);
    if (t == 0x8E || t == 0x8F || (t >= 0xAA && t <= 0xAE)) return {0x2000u + (t - 0x80u), 3};  // LRM, RLM, U+202A–E
  }
  if (c == 0xE2 && byte(i + 1) == 0x81) {
    const unsigned t = byte(i + 2);
    if (t >= 0xA6 && t <= 0xA9) return {0x2040u + (t - 0x80u), 3};  // U+2066–U+2069 (isolates)
  }
  return {};
}

}  // namespace

std::string without_trailing_newlines(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  return std::string(text);
}

std::string visible_controls(std::string_view text, KeepControls keep) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const Control c = control_at(text, i, keep);
    if (c.length == 0) {
      out += text[i++];
      continue;
    }
    out += c.code < 0x80 ? fmt::format("\\x{:02x}", c.code) : fmt::format("\\u{:04x}", c.code);
    i += c.length;
  }
  return out;
}

bool has_controls(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (control_at(text, i, KeepControls::none).length > 0) return true;
  }
  return false;
}

}  // namespace tether::core
