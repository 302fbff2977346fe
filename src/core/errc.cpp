#include "core/errc.hpp"

#include <algorithm>
#include <array>
#include <ostream>

namespace tether::core {
namespace {

struct Named {
  Errc code;
  std::string_view name;
};

constexpr std::array kNames{
#define TETHER_CORE_ERRC_NAMED(name) Named{Errc::name, #name},
    TETHER_CORE_ERRC_LIST(TETHER_CORE_ERRC_NAMED)
#undef TETHER_CORE_ERRC_NAMED
};

static_assert(std::is_sorted(kNames.begin(), kNames.end(), [](const Named& a, const Named& b) { return a.name < b.name; }),
              "keep TETHER_CORE_ERRC_LIST in alphabetical order");

}  // namespace

std::string_view to_string(Errc code) {
  const auto i = static_cast<std::size_t>(code);
  return i < kNames.size() ? kNames[i].name : std::string_view("internal");
}

std::optional<Errc> errc_from_string(std::string_view name) {
  auto it = std::lower_bound(kNames.begin(), kNames.end(), name, [](const Named& n, std::string_view s) { return n.name < s; });
  if (it == kNames.end() || it->name != name) return std::nullopt;
  return it->code;
}

std::ostream& operator<<(std::ostream& os, Errc code) { return os << to_string(code); }

}  // namespace tether::core
