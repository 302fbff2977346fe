// A device's name as the daemon keeps it: from the device at pairing, the owner's offer, or
// a rename. Shown in `tether devices`, the web app and logs, so it holds no character that
// steers a terminal or reorders a line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tether::daemon {

constexpr std::size_t kMaxDeviceName = 64;  // bytes, cut at a character boundary

// `raw` cut to kMaxDeviceName bytes on a character boundary; invalid_params when it holds a
// control character (ESC, BEL, a line break, …), a bidirectional control (U+202E, …) or
// bytes that are not UTF-8. An empty name is returned as it is (the caller picks one).
core::Result<std::string> device_name(std::string_view raw);

}  // namespace tether::daemon
