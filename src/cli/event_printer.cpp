#include "cli/event_printer.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "cli/output.hpp"
#include "core/approval_terms.hpp"
#include "core/encoding.hpp"

namespace tether::cli {

namespace json = boost::json;

namespace {

constexpr std::string_view kDim = "\x1b[2m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kYellow = "\x1b[33m";
constexpr std::string_view kCyan = "\x1b[36m";
constexpr std::string_view kReset = "\x1b[0m";

std::string first_lines(const std::string& text, std::size_t max_lines, std::size_t max_chars) {
  std::string out;
  std::size_t lines = 0;
  for (std::size_t i = 0; i < text.size() && out.size() < max_chars; ++i) {
    if (text[i] == '\n' && ++lines >= max_lines) {
      out += " …";
      return out;
    }
    out += text[i];
  }
  if (out.size() < text.size() && lines < max_lines) out += "…";
  return out;
}

// What a tool call is about, in one line: the command, the file, or the input as JSON.
std::string tool_summary(const json::object& data) {
  const auto* in = data.if_contains("input");
  if (!in || !in->is_object()) return "";
  const auto& input = in->as_object();
  for (const char* key : {"command", "file_path", "path", "pattern", "url"}) {
    const auto v = string_at(input, key);
    if (!v.empty()) return first_lines(v, 3, 300);
  }
  return first_lines(json::serialize(input), 1, 300);
}

}  // namespace

void EventPrinter::line(std::string_view style, const std::string& text) {
  end_stream();
  if (colour_ && !style.empty()) {
    std::fprintf(out_, "%.*s%s%.*s\n", static_cast<int>(style.size()), style.data(), text.c_str(),
                 static_cast<int>(kReset.size()), kReset.data());
  } else {
    std::fprintf(out_, "%s\n", text.c_str());
  }
  std::fflush(out_);
}

void EventPrinter::end_stream() {
  if (!streaming_) return;
  std::fputc('\n', out_);
  streaming_ = false;
}

std::string output_lost_text(const json::object& data) {
  return fmt::format("[output lost: {} event(s), {} bytes, from {} to {}, not stored: {}]", int_at(data, "events"),
                     int_at(data, "bytes"), format_time_ms(data.if_contains("from")), format_time_ms(data.if_contains("to")),
                     string_at(data, "reason"));
}

void EventPrinter::print(const json::object& event) {
  const std::string kind = string_at(event, "kind");
  const auto* d = event.if_contains("data");
  const json::object empty;
  const json::object& data = d && d->is_object() ? d->as_object() : empty;
  if (kind == "assistant_delta") {
    const auto text = string_at(data, "text");
    std::fputs(text.c_str(), out_);
    std::fflush(out_);
    streaming_ = true;
  } else if (kind == "assistant_text") {
    if (streaming_) {
      end_stream();  // its text was streamed already
    } else {
      line("", string_at(data, "text"));
    }
  } else if (kind == "user_message") {
    line(kBold, "> " + string_at(data, "text"));
  } else if (kind == "thinking") {
    line(kDim, "(thinking) " + first_lines(string_at(data, "text"), 3, 300));
  } else if (kind == "tool_call") {
    line(kCyan, fmt::format("→ {} {}", string_at(data, "tool"), tool_summary(data)));
  } else if (kind == "tool_result") {
    const bool failed = data.contains("is_error") && data.at("is_error").is_bool() && data.at("is_error").as_bool();
    line(failed ? kRed : kDim, fmt::format("← {}", first_lines(string_at(data, "content"), 5, 600)));
  } else if (kind == "approval_requested") {
    const auto id = string_at(data, "approval_id");
    line(kYellow, fmt::format("? approval {}: {} {}\n  answer: tether approve {}  |  tether deny {} -m \"why\"", id,
                              string_at(data, "tool"), tool_summary(data), id, id));
  } else if (kind == "approval_resolved") {
    const bool allowed = core::parse_approval_decision(string_at(data, "decision")) == core::ApprovalDecision::allow;
    std::string text = fmt::format("{} {} by {}", allowed ? "✓ allowed" : "✗ denied",
                                   string_at(data, "tool").empty() ? string_at(data, "approval_id") : string_at(data, "tool"),
                                   string_at(data, "by"));
    if (const auto m = string_at(data, "message"); !m.empty()) text += ": " + m;
    line(allowed ? kDim : kYellow, text);
  } else if (kind == "status") {
    std::string text = "[" + string_at(data, "status");
    if (data.contains("code")) text += fmt::format(" code {}", int_at(data, "code"));
    if (const auto r = string_at(data, "reason"); !r.empty()) text += ": " + r;
    line(kDim, text + "]");
  } else if (kind == "usage") {
    line(kDim, fmt::format("[tokens in {} out {}]", int_at(data, "input_tokens"), int_at(data, "output_tokens")));
  } else if (kind == "error") {
    line(kRed, "error: " + string_at(data, "message"));
  } else if (kind == "notice") {
    line(kDim, string_at(data, "text"));
  } else if (kind == "terminal_output") {
    // The program's own bytes, as it wrote them.
    if (auto bytes = core::base64url_decode(string_at(data, "data"))) {
      std::fwrite(bytes->data(), 1, bytes->size(), out_);
      std::fflush(out_);
    }
  } else if (kind == "mode") {
    line(kDim, "[mode " + string_at(data, "mode") + "]");
  } else if (kind == "output_lost") {
    line(kRed, output_lost_text(data));
  }
  // raw and unknown kinds: not for people (see --json)
}

}  // namespace tether::cli
