// A unix-socket server for newline-delimited messages: accept, read lines up
// to a size limit, queue writes with a byte bound, report the peer's uid/pid.
// It only moves bytes; what a line means is the caller's business.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "net/runtime.hpp"

namespace tether::net {

struct PeerCredentials {
  uid_t uid = static_cast<uid_t>(-1);
  pid_t pid = 0;
};

class LineConnection {
 public:
  virtual ~LineConnection() = default;
  virtual std::uint64_t id() const = 0;
  virtual PeerCredentials peer() const = 0;
  // Queues `line` plus '\n'. A peer whose queue would pass max_queued_bytes is closed.
  virtual void send(std::string line) = 0;
  // Closes after the queued lines are written.
  virtual void close() = 0;
  // Bytes queued and not yet written.
  virtual std::size_t queued_bytes() const = 0;
};

struct LineServerOptions {
  std::filesystem::path socket_path;
  std::size_t max_line_bytes = 1024 * 1024;
  std::size_t max_connections = 512;  // beyond it new connections are closed at once
  std::size_t max_queued_bytes = 16 * 1024 * 1024;
};

struct LineHandlers {
  // false: refuse the peer (what was sent from here is still written, then it is closed).
  std::function<bool(LineConnection&)> on_open;
  std::function<void(LineConnection&, std::string_view line)> on_line;
  // The peer sent a line longer than max_line_bytes; the connection closes after this.
  std::function<void(LineConnection&)> on_oversized_line;
  std::function<void(LineConnection&)> on_close;
};

class UnixLineServer {
 public:
  // Binds `socket_path` (which must not exist) with mode 0600 and starts accepting.
  static core::Result<std::unique_ptr<UnixLineServer>> listen(Runtime& runtime, LineServerOptions options,
                                                             LineHandlers handlers);
  ~UnixLineServer();
  UnixLineServer(const UnixLineServer&) = delete;
  UnixLineServer& operator=(const UnixLineServer&) = delete;

  // Stops accepting, removes the socket file, lets every connection flush its
  // queue and close; calls `done` when the last one has closed.
  void shutdown(std::function<void()> done);
  std::size_t connection_count() const;

  struct Impl;

 private:
  explicit UnixLineServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

}  // namespace tether::net
