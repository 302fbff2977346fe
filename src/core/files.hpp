// Files that hold secrets: atomic writes with a fixed mode, and the permission
// checks that refuse a home or key file other users could read.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>

#include "core/result.hpp"

namespace tether::core {

// Writes `data` to `path` through a temp file in the same directory:
// write, fsync, chmod `mode`, rename, fsync the directory.
Result<void> atomic_write_file(const std::filesystem::path& path, std::span<const std::uint8_t> data, unsigned mode);

Result<std::string> read_file(const std::filesystem::path& path, std::size_t max_bytes);

// Ok when `path` is owned by this user and has no group/other permission bits.
// The error message names the path, its mode and the chmod that fixes it.
Result<void> check_private(const std::filesystem::path& path, bool is_directory);

// Ok when `path` is missing, or a regular file owned by this user (its mode is not looked at);
// else Errc::not_private naming the chown that fixes it.
Result<void> check_owned(const std::filesystem::path& path);

// Creates `path` empty with mode 0600 if it is missing; an existing file is left as it is.
Result<void> create_private_file(const std::filesystem::path& path);

// For a file another library creates and keeps (SQLite's database and the files beside
// it): missing is fine; owned by another user, or not a regular file, is refused
// (Errc::not_private, naming the chown that fixes it); group or other permission bits are
// removed. Returns the mode it had when it was corrected, nothing when it was already private.
Result<std::optional<unsigned>> make_private(const std::filesystem::path& path);

// Creates `dir` (and parents) with mode 0700 if missing, then checks it with check_private.
Result<void> ensure_private_dir(const std::filesystem::path& dir);

}  // namespace tether::core
