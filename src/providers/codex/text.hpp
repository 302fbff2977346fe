// Text repairs for what codex prints, so every event tether keeps is valid UTF-8 and
// bounded. Internal to tether_provider_codex; pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tether::providers::codex {

// At most `limit` bytes of s, cut at a character boundary, with each byte that is not
// part of valid UTF-8 replaced by U+FFFD. Returns whether anything was left out.
bool utf8_prefix(std::string_view s, std::size_t limit, std::string& out);

// The longest prefix of valid UTF-8 s of at most `limit` bytes that ends on a character boundary.
std::string_view cut_utf8(std::string_view s, std::size_t limit);

// s without ANSI escape sequences (codex colours its stderr log lines).
std::string strip_ansi(std::string_view s);

}  // namespace tether::providers::codex
