#include "daemon/instance_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <fmt/format.h>

namespace tether::daemon {

core::Result<InstanceLock> InstanceLock::acquire(const std::filesystem::path& lock_file) {
  const int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return core::make_error(core::Errc::io, fmt::format("cannot open {}: {}", lock_file.string(), std::strerror(errno)));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    char buf[32] = {};
    const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    if (err == EWOULDBLOCK) {
      const std::string pid = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "unknown";
      return core::make_error(core::Errc::already_running,
                              fmt::format("tether daemon is already running (pid {}) on {}", pid,
                                                    lock_file.parent_path().string()));
    }
    return core::make_error(core::Errc::io, fmt::format("cannot lock {}: {}", lock_file.string(), std::strerror(err)));
  }
  const std::string pid = std::to_string(::getpid());
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int err = errno;
    ::close(fd);
    return core::make_error(core::Errc::io, fmt::format("cannot write {}: {}", lock_file.string(), std::strerror(err)));
  }
  return InstanceLock(fd);
}

InstanceLock::~InstanceLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

}  // namespace tether::daemon
