#include "daemon/device_role.hpp"

namespace tether::daemon {

std::optional<proto::Role> device_role(std::string_view mode) {
  for (const auto role : {proto::Role::read_only, proto::Role::full}) {
    if (proto::role_name(role) == mode) return role;
  }
  return std::nullopt;
}

}  // namespace tether::daemon
