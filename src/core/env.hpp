// An environment as a list of "NAME=value" entries (what a child process is given): which
// entry sets a name, and the value it sets. Pure; not this process's own environment.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tether::core {

// Whether an environment entry ("NAME=value") sets `name`.
bool env_names(std::string_view entry, std::string_view name);

// The value of `name` ("" when unset). When entries set it twice the first one wins, as it
// does for getenv(3) in the process that receives the environment.
std::string env_value(const std::vector<std::string>& env, std::string_view name);

}  // namespace tether::core
