// ProviderType: which agent adapter a session runs, with its one conversion to and from
// its wire/store name. What each one can do is providers::ProviderKind's business.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tether::core {

enum class ProviderType { claude, codex, opencode, terminal };

std::string_view to_string(ProviderType type);
std::optional<ProviderType> parse_provider_type(std::string_view name);
std::string provider_type_names();  // "claude, codex, opencode or terminal", for messages

}  // namespace tether::core
