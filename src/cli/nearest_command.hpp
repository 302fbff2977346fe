// The command a mistyped one was most likely meant to be (`tether stauts` → "status").
// Pure: names in, a name out; main() prints the message.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tether::cli {

// The name closest to `typed` by edit distance (a swap of two neighbours counts as one
// edit), if it is near enough to be a slip: at most 2 edits, and fewer than half of the
// typed word. Otherwise the only name `typed` is a prefix of ("dev" → "devices").
std::optional<std::string> nearest_command(std::string_view typed, const std::vector<std::string>& names);

}  // namespace tether::cli
