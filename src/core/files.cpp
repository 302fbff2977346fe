#include "core/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

namespace tether::core {
namespace {

std::string errno_text() { return std::strerror(errno); }

Result<void> fsync_dir(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return make_error(core::Errc::io, fmt::format("cannot open {}: {}", dir.string(), errno_text()));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return make_error(core::Errc::io, fmt::format("cannot fsync {}: {}", dir.string(), errno_text()));
  return {};
}

}  // namespace

Result<void> atomic_write_file(const std::filesystem::path& path, std::span<const std::uint8_t> data, unsigned mode) {
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::string tmpl = (dir / ("." + path.filename().string() + ".tmpXXXXXX")).string();
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) return make_error(core::Errc::io, fmt::format("cannot create a temp file in {}: {}", dir.string(), errno_text()));
  auto fail = [&](const std::string& what) {
    const std::string msg = fmt::format("{} {}: {}", what, tmpl, errno_text());
    ::close(fd);
    ::unlink(tmpl.c_str());
    return make_error(core::Errc::io, msg);
  };
  if (::fchmod(fd, mode) != 0) return fail("cannot chmod");
  std::size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write");
    }
    off += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("cannot fsync");
  ::close(fd);
  if (::rename(tmpl.c_str(), path.c_str()) != 0) {
    const std::string msg = fmt::format("cannot rename {} to {}: {}", tmpl, path.string(), errno_text());
    ::unlink(tmpl.c_str());
    return make_error(core::Errc::io, msg);
  }
  return fsync_dir(dir);
}

Result<std::string> read_file(const std::filesystem::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(core::Errc::io, fmt::format("cannot read {}: {}", path.string(), errno_text()));
  std::string out;
  char buf[4096];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    out.append(buf, static_cast<std::size_t>(in.gcount()));
    if (out.size() > max_bytes) return make_error(core::Errc::too_large, fmt::format("{} is larger than {} bytes", path.string(), max_bytes));
  }
  return out;
}

namespace {

// Refused unless `st` is of the kind asked for and owned by this user.
Result<void> check_kind_and_owner(const std::filesystem::path& path, const struct stat& st, bool is_directory) {
  if (is_directory != S_ISDIR(st.st_mode) || (!is_directory && !S_ISREG(st.st_mode))) {
    return make_error(core::Errc::not_private, fmt::format("{} should be a {}", path.string(), is_directory ? "directory" : "regular file"));
  }
  if (st.st_uid != ::geteuid()) {
    return make_error(core::Errc::not_private, fmt::format("{} is owned by uid {}, not by you (uid {}); fix it with: chown {} {}",
                                                           path.string(), st.st_uid, ::geteuid(), ::geteuid(), path.string()));
  }
  return {};
}

}  // namespace

Result<void> check_private(const std::filesystem::path& path, bool is_directory) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return make_error(core::Errc::io, fmt::format("cannot stat {}: {}", path.string(), errno_text()));
  if (auto ok = check_kind_and_owner(path, st, is_directory); !ok) return ok;
  const unsigned perms = st.st_mode & 0777;
  if ((perms & 077) != 0) {
    return make_error(core::Errc::not_private, fmt::format("{} is accessible by group or others (mode {:04o}); fix it with: chmod {} {}",
                                                           path.string(), perms, is_directory ? "700" : "600", path.string()));
  }
  return {};
}

Result<void> check_owned(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return {};
    return make_error(core::Errc::io, fmt::format("cannot stat {}: {}", path.string(), errno_text()));
  }
  return check_kind_and_owner(path, st, false);
}

Result<void> create_private_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return make_error(core::Errc::io, fmt::format("cannot create {}: {}", path.string(), errno_text()));
  ::close(fd);
  return {};
}

Result<std::optional<unsigned>> make_private(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::optional<unsigned>();
    return make_error(core::Errc::io, fmt::format("cannot stat {}: {}", path.string(), errno_text()));
  }
  if (auto ok = check_kind_and_owner(path, st, false); !ok) return ok.error();
  const unsigned perms = st.st_mode & 07777;
  if ((perms & 077) == 0) return std::optional<unsigned>();
  if (::chmod(path.c_str(), perms & 0700) != 0) {
    return make_error(core::Errc::io, fmt::format("cannot chmod {}: {}", path.string(), errno_text()));
  }
  return std::optional<unsigned>(perms);
}

Result<void> ensure_private_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    if (dir.has_parent_path()) std::filesystem::create_directories(dir.parent_path(), ec);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
      return make_error(core::Errc::io, fmt::format("cannot create {}: {}", dir.string(), errno_text()));
    }
  }
  return check_private(dir, true);
}

}  // namespace tether::core
