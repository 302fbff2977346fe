// The process's open-file limit, and how many network connections fit under it. Every
// socket is a descriptor: a server that takes connections until accept() fails has none
// left for anything else (files, pipes, its other sockets), so each keeps its connection
// cap under the limit with a reserve.
#pragma once

#include <cstddef>
#include <optional>

namespace tether::net {

// Raises the soft RLIMIT_NOFILE towards `wanted` (never past the hard limit, never lower
// than it is) and returns the soft limit now in force; nullopt when it is unlimited or
// cannot be read. Child processes inherit it, so it is raised only as far as needed.
std::optional<std::size_t> raise_open_file_limit(std::size_t wanted);

// The most connections `limit` descriptors allow while `reserve` stay free for the rest of
// the process: limit - reserve, but half of a limit below twice the reserve (a process
// started with a small limit still serves some), at least 1, and never more than `wanted`.
// An unlimited limit (nullopt) allows `wanted`. Pure.
std::size_t connection_budget(std::optional<std::size_t> limit, std::size_t reserve, std::size_t wanted);

}  // namespace tether::net
