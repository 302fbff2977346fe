#include "core/log.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <string>
#include <vector>

#include "core/text.hpp"

namespace tether::core {

namespace {

constexpr const char* kPattern = "%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v";

// The pattern formatter, with every control character of the message made visible: a log
// line quotes names, hosts and errors that come from outside, and one holding ESC or a
// line break must neither steer the terminal that shows the log nor forge another line.
class VisibleFormatter final : public spdlog::formatter {
 public:
  VisibleFormatter() : inner_(std::make_unique<spdlog::pattern_formatter>(kPattern)) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    if (!has_controls(payload)) return inner_->format(msg, dest);
    const std::string shown = visible_controls(payload, KeepControls::none);
    spdlog::details::log_msg copy = msg;
    copy.payload = spdlog::string_view_t(shown.data(), shown.size());
    inner_->format(copy, dest);
    msg.color_range_start = copy.color_range_start;  // the level's colour, for colour sinks
    msg.color_range_end = copy.color_range_end;
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<VisibleFormatter>(); }

 private:
  std::unique_ptr<spdlog::formatter> inner_;
};

}  // namespace

void init_logging(const std::optional<std::filesystem::path>& log_file, bool verbose) {
  std::vector<spdlog::sink_ptr> sinks;
  sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  if (log_file) sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(log_file->string()));
  auto logger = std::make_shared<spdlog::logger>("tether", sinks.begin(), sinks.end());
  logger->set_formatter(std::make_unique<VisibleFormatter>());
  logger->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace tether::core
