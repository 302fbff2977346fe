// Logging setup: spdlog to stderr and, for the daemon, to a file in the home.
// Callers log through spdlog directly; never log secrets. Control characters in a message
// are written visibly (core::visible_controls), so text from outside can be quoted as it is.
#pragma once

#include <filesystem>
#include <optional>

namespace tether::core {

void init_logging(const std::optional<std::filesystem::path>& log_file, bool verbose);

}  // namespace tether::core
