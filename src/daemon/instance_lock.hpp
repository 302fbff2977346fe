// One daemon per home: an flock on $TETHER_HOME/daemon.lock, which also holds
// the owner's pid so a second daemon can say who is running.
#pragma once

#include <sys/types.h>

#include <filesystem>

#include "core/result.hpp"

namespace tether::daemon {

class InstanceLock {
 public:
  // Error code "already_running" (message names the pid) or "io".
  static core::Result<InstanceLock> acquire(const std::filesystem::path& lock_file);
  InstanceLock(InstanceLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  InstanceLock& operator=(InstanceLock&&) = delete;
  InstanceLock(const InstanceLock&) = delete;
  InstanceLock& operator=(const InstanceLock&) = delete;
  ~InstanceLock();

 private:
  explicit InstanceLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace tether::daemon
