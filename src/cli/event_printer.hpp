// Session events as a person reads them in a terminal: streamed text as it comes,
// tool calls and results on their own lines, approvals with the commands that answer
// them, status changes dimmed. Colours only when asked (a TTY).
#pragma once

#include <boost/json/object.hpp>

#include <cstdio>
#include <string>

namespace tether::cli {

// An output_lost event's data as one line: "[output lost: 12 event(s), 3456 bytes, from
// TIME to TIME, not stored: REASON]" (also what `tether attach` shows of it).
std::string output_lost_text(const boost::json::object& data);

class EventPrinter {
 public:
  EventPrinter(std::FILE* out, bool colour) : out_(out), colour_(colour) {}
  // One `session.event` notification's params ({session, seq, time, kind, data}).
  void print(const boost::json::object& event);

 private:
  void line(std::string_view style, const std::string& text);
  void end_stream();

  std::FILE* out_;
  bool colour_;
  bool streaming_ = false;  // assistant deltas printed without their final newline yet
};

}  // namespace tether::cli
