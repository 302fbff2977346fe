#include "cli/qr_text.hpp"

#include <qrencode.h>

#include <memory>
#include <string>

namespace tether::cli {

namespace {

using Code = std::unique_ptr<QRcode, decltype(&QRcode_free)>;

// Version 6 (41 modules) is the largest whose half-block print, quiet zone included, fits
// 24 rows.
constexpr int kFitsATerminal = 41;

Code encode(const std::string& text, QRecLevel level) { return Code(QRcode_encodeString(text.c_str(), 0, level, QR_MODE_8, 1), &QRcode_free); }

}  // namespace

core::Result<std::string> qr_text(std::string_view data) {
  const std::string text(data);
  // Error correction M (15 % of the code may be lost) unless that makes the code too big for
  // a terminal and L (7 %) does not: a screen is not a crumpled label.
  Code code = encode(text, QR_ECLEVEL_M);
  if (code && code->width > kFitsATerminal) {
    if (Code smaller = encode(text, QR_ECLEVEL_L); smaller && smaller->width < code->width) code = std::move(smaller);
  }
  if (!code) return core::make_error(core::Errc::qr, "the link is too long for a QR code");
  constexpr int kQuiet = 2;
  const int width = code->width;
  const int size = width + 2 * kQuiet;
  // light(x, y): true for quiet zone and light modules
  auto light = [&](int x, int y) {
    x -= kQuiet;
    y -= kQuiet;
    if (x < 0 || y < 0 || x >= width || y >= width) return true;
    return (code->data[y * width + x] & 1) == 0;
  };
  std::string out;
  for (int y = 0; y < size; y += 2) {
    for (int x = 0; x < size; ++x) {
      const bool top = light(x, y);
      const bool bottom = y + 1 < size ? light(x, y + 1) : false;
      if (top && bottom) out += "\u2588";
      else if (top) out += "\u2580";
      else if (bottom) out += "\u2584";
      else out += ' ';
    }
    out += '\n';
  }
  return out;
}

}  // namespace tether::cli
