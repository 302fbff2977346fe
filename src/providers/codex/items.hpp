// Thread items (commandExecution, fileChange, agentMessage, ...) as tether events, and
// the helpers the translator shares. Internal to tether_provider_codex; pure.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>

#include "providers/codex/app_server.hpp"

namespace tether::providers::codex {

Event make_event(std::string kind, boost::json::object data);

// A fileChange item's changes ({path, kind, diff}), at most 200 of them with 64 KiB of
// diff text in all; `truncated` says whether anything was left out.
boost::json::array bounded_changes(const boost::json::array& changes, bool& truncated);

}  // namespace tether::providers::codex
