#include "net/sse_parser.hpp"

namespace tether::net {

namespace {
constexpr std::string_view kBom = "\xEF\xBB\xBF";
}

core::Result<std::vector<SseEvent>> SseParser::feed(std::string_view bytes) {
  if (failed_) return core::make_error(core::Errc::too_large, "the event stream already failed");
  std::vector<SseEvent> out;
  if (!started_) {
    // A byte order mark may open the stream; wait until three bytes (or a mismatch) decide.
    line_.append(bytes);
    if (line_.size() < kBom.size() && kBom.starts_with(line_)) return out;
    started_ = true;
    std::string pending = std::move(line_);
    line_.clear();
    std::string_view rest(pending);
    if (rest.starts_with(kBom)) rest.remove_prefix(kBom.size());
    auto more = feed(rest);
    return more;
  }
  while (!bytes.empty()) {
    if (after_cr_) {
      after_cr_ = false;
      if (bytes.front() == '\n') {
        bytes.remove_prefix(1);
        continue;
      }
    }
    const auto end = bytes.find_first_of("\r\n");
    if (end == std::string_view::npos) {
      line_.append(bytes);
      break;
    }
    line_.append(bytes.substr(0, end));
    after_cr_ = bytes[end] == '\r';
    bytes.remove_prefix(end + 1);
    const std::string text = std::move(line_);
    line_.clear();
    if (!line(text, out)) {
      failed_ = true;
      return core::make_error(core::Errc::too_large, "an event of the stream is larger than allowed");
    }
  }
  if (line_.size() + data_.size() > max_event_bytes_) {
    failed_ = true;
    return core::make_error(core::Errc::too_large, "an event of the stream is larger than allowed");
  }
  return out;
}

// One complete line; false when the event grew past the limit.
bool SseParser::line(std::string_view text, std::vector<SseEvent>& out) {
  if (text.empty()) {
    if (has_data_) {
      if (!data_.empty() && data_.back() == '\n') data_.pop_back();
      out.push_back(SseEvent{std::move(type_), std::move(data_), id_});
    }
    type_.clear();
    data_.clear();
    has_data_ = false;
    return true;
  }
  if (text.front() == ':') return true;  // a comment (keep-alives are often sent so)
  const auto colon = text.find(':');
  const std::string_view field = text.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
  if (value.starts_with(' ')) value.remove_prefix(1);
  if (field == "data") {
    if (data_.size() + value.size() + 1 > max_event_bytes_) return false;
    data_.append(value);
    data_ += '\n';
    has_data_ = true;
  } else if (field == "event") {
    type_.assign(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) id_.assign(value);
  }
  return true;  // "retry" and unknown fields: ignored
}

}  // namespace tether::net
