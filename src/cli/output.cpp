#include "cli/output.hpp"

#include <cstdio>
#include <ctime>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"

namespace tether::cli {

namespace json = boost::json;

int report_failure(std::string_view command, const core::HomePaths& home, const core::Error& error, Format format) {
  std::string message;
  if (error.code == core::Errc::daemon_not_running) {
    message = fmt::format("daemon not running — start it with `tether daemon` (looked for {})", home.socket().string());
    std::fprintf(stderr, "%s\n", message.c_str());
  } else {
    message = error.message;
    std::fprintf(stderr, "tether %.*s: %s\n", static_cast<int>(command.size()), command.data(),
                 core::visible_controls(message).c_str());  // the daemon's message may quote a name
  }
  if (format == Format::json) {
    const json::object err{{"code", core::to_string(error.code)}, {"message", message}};
    std::printf("%s\n", json::serialize(json::object{{"error", err}}).c_str());
    std::fflush(stdout);
  }
  return kExitFailure;
}

std::string format_time_ms(const boost::json::value* unix_ms) {
  if (!unix_ms || !(unix_ms->is_int64() || unix_ms->is_uint64())) return "-";
  const std::time_t t = static_cast<std::time_t>(unix_ms->to_number<std::int64_t>() / 1000);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string format_duration(std::int64_t s) {
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  if (s < 86400) return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
  return fmt::format("{}d{:02}h", s / 86400, (s % 86400) / 3600);
}

}  // namespace tether::cli
