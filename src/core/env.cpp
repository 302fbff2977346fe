#include "core/env.hpp"

namespace tether::core {

bool env_names(std::string_view entry, std::string_view name) {
  return entry.size() > name.size() && entry.starts_with(name) && entry[name.size()] == '=';
}

std::string env_value(const std::vector<std::string>& env, std::string_view name) {
  for (const auto& e : env) {
    if (env_names(e, name)) return e.substr(name.size() + 1);
  }
  return "";
}

}  // namespace tether::core
