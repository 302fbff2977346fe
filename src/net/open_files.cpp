#include "net/open_files.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace tether::net {

std::optional<std::size_t> raise_open_file_limit(std::size_t wanted) {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return std::nullopt;
  const rlim_t target = std::min<rlim_t>(lim.rlim_max, static_cast<rlim_t>(wanted));
  if (lim.rlim_cur < target) {
    rlimit raised = lim;
    raised.rlim_cur = target;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
  }
  if (lim.rlim_cur == RLIM_INFINITY) return std::nullopt;
  return static_cast<std::size_t>(lim.rlim_cur);
}

std::size_t connection_budget(std::optional<std::size_t> limit, std::size_t reserve, std::size_t wanted) {
  if (!limit) return wanted;
  const std::size_t fits = *limit >= 2 * reserve ? *limit - reserve : *limit / 2;
  return std::min(wanted, std::max<std::size_t>(fits, 1));
}

}  // namespace tether::net
