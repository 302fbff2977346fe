#include "core/session_mode.hpp"

#include "core/name_table.hpp"

namespace tether::core {
namespace {

using M = SessionMode;
constexpr auto kNames = name_table(std::pair{M::ask, "ask"}, std::pair{M::edits, "edits"}, std::pair{M::automatic, "auto"});

}  // namespace

std::string_view to_string(SessionMode mode) { return kNames.name(mode); }
std::optional<SessionMode> parse_session_mode(std::string_view name) { return kNames.find(name); }
std::string session_mode_names() { return kNames.list(); }

}  // namespace tether::core
