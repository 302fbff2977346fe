#include "cli/ask.hpp"

#include <poll.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <optional>
#include <string>

namespace tether::cli {
namespace {

// One line from stdin, read a byte at a time so nothing past it is taken from the stream.
std::optional<std::string> read_line(const std::function<bool()>& keep_waiting) {
  std::string line;
  for (;;) {
    pollfd fd{STDIN_FILENO, POLLIN, 0};
    const int ready = ::poll(&fd, 1, 200);
    if (ready < 0) return std::nullopt;
    if (ready == 0) {
      if (!keep_waiting()) return std::nullopt;
      continue;
    }
    char c = 0;
    const ssize_t n = ::read(STDIN_FILENO, &c, 1);
    if (n <= 0) return std::nullopt;
    if (c == '\n') return line;
    if (line.size() < 64) line.push_back(c);
  }
}

std::string lowered(std::string s) {
  std::string out;
  for (const char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

Answer ask_yes_no(std::string_view question, const std::function<bool()>& keep_waiting) {
  for (;;) {
    std::fprintf(stderr, "%.*s [y/N] ", static_cast<int>(question.size()), question.data());
    std::fflush(stderr);
    auto line = read_line(keep_waiting);
    if (!line) {
      std::fprintf(stderr, "\n");
      return Answer::none;
    }
    const std::string a = lowered(*line);
    if (a == "y" || a == "yes") return Answer::yes;
    if (a.empty() || a == "n" || a == "no") return Answer::no;
    std::fprintf(stderr, "Please answer y or n.\n");
  }
}

}  // namespace tether::cli
