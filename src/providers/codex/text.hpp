// Text repairs for what codex prints, so every event tether keeps is valid UTF-8 and
// bounded. Internal to tether_provider_codex; pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/utf8.hpp"

namespace tether::providers::codex {

// UTF-8 repair is shared by every provider (core/utf8.hpp).
using core::cut_utf8;
using core::utf8_prefix;

// s without ANSI escape sequences (codex colours its stderr log lines).
std::string strip_ansi(std::string_view s);

}  // namespace tether::providers::codex
