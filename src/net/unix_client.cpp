#include "net/unix_client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace tether::net {

core::Result<UnixClient> UnixClient::connect(const std::filesystem::path& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string p = path.string();
  if (p.size() >= sizeof addr.sun_path) return core::make_error(core::Errc::path_too_long, fmt::format("socket path {} is too long", p));
  std::memcpy(addr.sun_path, p.c_str(), p.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return core::make_error(core::Errc::io, fmt::format("socket: {}", std::strerror(errno)));
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == ENOENT || err == ECONNREFUSED) return core::make_error(core::Errc::not_running, fmt::format("nothing listens on {}", p));
    return core::make_error(core::Errc::io, fmt::format("cannot connect to {}: {}", p, std::strerror(err)));
  }
  return UnixClient(fd);
}

UnixClient::~UnixClient() {
  if (fd_ >= 0) ::close(fd_);
}

core::Result<void> UnixClient::write_line(std::string_view line) {
  std::string data(line);
  data += '\n';
  std::size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return core::make_error(core::Errc::closed, fmt::format("write failed: {}", std::strerror(errno)));
    }
    off += static_cast<std::size_t>(n);
  }
  return {};
}

core::Result<std::string> UnixClient::read_line(std::chrono::milliseconds timeout, std::size_t max_bytes) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    if (buffer_.size() > max_bytes) return core::make_error(core::Errc::too_large, "the reply is larger than allowed");
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return core::make_error(core::Errc::timeout, "no reply in time");
    pollfd pfd{fd_, POLLIN, 0};
    const int rc = ::poll(&pfd, 1, static_cast<int>(left.count()));
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0) return core::make_error(core::Errc::io, fmt::format("poll: {}", std::strerror(errno)));
    if (rc == 0) continue;
    char buf[65536];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return core::make_error(core::Errc::closed, "the connection closed");
    buffer_.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace tether::net
