#include "core/home.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <utility>

namespace tether::core {
namespace {

std::string& home_before_command() {
  static std::string dir;
  return dir;
}

}  // namespace

void set_home_before_command(std::string dir) { home_before_command() = std::move(dir); }

HomePaths resolve_home(const std::optional<std::string>& flag) {
  if (flag && !flag->empty()) return HomePaths{std::filesystem::absolute(*flag)};
  if (const auto& before = home_before_command(); !before.empty()) return HomePaths{std::filesystem::absolute(before)};
  return default_home();
}

HomePaths default_home() {
  if (const char* env = std::getenv("TETHER_HOME"); env && *env) return HomePaths{std::filesystem::absolute(env)};
  std::filesystem::path user_home;
  if (const char* h = std::getenv("HOME"); h && *h) {
    user_home = h;
  } else if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir) {
    user_home = pw->pw_dir;
  } else {
    user_home = ".";
  }
  return HomePaths{std::filesystem::absolute(user_home / ".tether")};
}

}  // namespace tether::core
