#include "core/provider_type.hpp"

#include "core/name_table.hpp"

namespace tether::core {
namespace {

using P = ProviderType;
constexpr auto kNames = name_table(std::pair{P::claude, "claude"}, std::pair{P::codex, "codex"},
                                   std::pair{P::opencode, "opencode"}, std::pair{P::terminal, "terminal"});

}  // namespace

std::string_view to_string(ProviderType type) { return kNames.name(type); }
std::optional<ProviderType> parse_provider_type(std::string_view name) { return kNames.find(name); }
std::string provider_type_names() { return kNames.list(); }

}  // namespace tether::core
