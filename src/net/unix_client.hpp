// A blocking client for newline-delimited messages over a unix socket, for
// short-lived commands (the CLI). No event loop, no Boost.Asio.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tether::net {

class UnixClient {
 public:
  // Error code "not_running" when nothing listens at `path`.
  static core::Result<UnixClient> connect(const std::filesystem::path& path);
  UnixClient(UnixClient&& o) noexcept : fd_(o.fd_), buffer_(std::move(o.buffer_)) { o.fd_ = -1; }
  UnixClient& operator=(UnixClient&&) = delete;
  UnixClient(const UnixClient&) = delete;
  UnixClient& operator=(const UnixClient&) = delete;
  ~UnixClient();

  core::Result<void> write_line(std::string_view line);
  // For poll(): readable means read_line may have a line.
  int fd() const { return fd_; }
  // Error code "timeout", "closed" or "too_large".
  core::Result<std::string> read_line(std::chrono::milliseconds timeout, std::size_t max_bytes = 16 * 1024 * 1024);

 private:
  explicit UnixClient(int fd) : fd_(fd) {}
  int fd_ = -1;
  std::string buffer_;
};

}  // namespace tether::net
