// A device's mode, by its wire and store name ("full", "read_only"), as the role its
// requests get.
#pragma once

#include <optional>
#include <string_view>

#include "proto/dispatcher.hpp"

namespace tether::daemon {

// The role of a device in `mode`; nothing for any other name.
std::optional<proto::Role> device_role(std::string_view mode);

}  // namespace tether::daemon
