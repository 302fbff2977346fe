#include "core/session_status.hpp"

#include "core/name_table.hpp"

namespace tether::core {
namespace {

using S = SessionStatus;
constexpr auto kNames = name_table(std::pair{S::starting, "starting"}, std::pair{S::running, "running"},
                                   std::pair{S::waiting_for_approval, "waiting_for_approval"}, std::pair{S::idle, "idle"},
                                   std::pair{S::exited, "exited"}, std::pair{S::error, "error"});

}  // namespace

std::string_view to_string(SessionStatus status) { return kNames.name(status); }
std::optional<SessionStatus> parse_session_status(std::string_view name) { return kNames.find(name); }
std::string session_status_names() { return kNames.list(); }

}  // namespace tether::core
