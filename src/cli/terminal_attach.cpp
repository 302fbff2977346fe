#include "cli/terminal_attach.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/event_printer.hpp"
#include "cli/local_client.hpp"
#include "cli/output.hpp"
#include "core/encoding.hpp"
#include "core/session_status.hpp"
#include "net/unix_client.hpp"
#include "proto/jsonrpc.hpp"

namespace tether::cli {

namespace json = boost::json;

std::string KeyFilter::feed(std::string_view typed) {
  std::string out;
  for (const char c : typed) {
    const auto byte = static_cast<unsigned char>(c);
    if (prefix_pending) {
      prefix_pending = false;
      if (byte == kDetachKey) {
        detached = true;
        return out;
      }
      out += static_cast<char>(kDetachPrefix);
      if (byte == kDetachPrefix) continue;  // the prefix twice sends it once
      out += c;
    } else if (byte == kDetachPrefix) {
      prefix_pending = true;
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

int winch_pipe[2] = {-1, -1};

void on_winch(int) {
  const char c = 'w';
  [[maybe_unused]] auto n = ::write(winch_pipe[1], &c, 1);
}

// Raw mode for the life of the object.
class RawMode {
 public:
  RawMode() {
    if (::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios raw = saved_;
    ::cfmakeraw(&raw);
    active_ = ::tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
  }
  ~RawMode() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }
  RawMode(const RawMode&) = delete;
  RawMode& operator=(const RawMode&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

int attach_terminal(const core::HomePaths& home, const std::string& session) {
  auto client = connect_local(home);
  if (!client) return report_failure("attach", home, client.error());
  int next_id = 1;
  auto request = [&](std::string_view method, json::object params) {
    params["session"] = session;
    (void)client->write_line(proto::make_request(next_id++, method, params));
  };
  auto send_size = [&] {
    winsize ws{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) {
      request("terminal.resize", json::object{{"cols", ws.ws_col}, {"rows", ws.ws_row}});
    }
  };
  if (::pipe2(winch_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return kExitFailure;
  struct sigaction sa {};
  sa.sa_handler = on_winch;
  ::sigaction(SIGWINCH, &sa, nullptr);

  std::fprintf(stderr, "attached to %s — Ctrl-\\ then d detaches\r\n", session.c_str());
  RawMode raw;
  send_size();
  request("session.subscribe", json::object{{"since", 0}});
  KeyFilter keys;
  int exit_code = kExitOk;
  for (bool done = false; !done;) {
    pollfd fds[3] = {{STDIN_FILENO, POLLIN, 0}, {client->fd(), POLLIN, 0}, {winch_pipe[0], POLLIN, 0}};
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[2].revents & POLLIN) {
      char drain[64];
      while (::read(winch_pipe[0], drain, sizeof drain) > 0) {
      }
      send_size();
    }
    if (fds[0].revents & (POLLIN | POLLHUP)) {
      char buf[4096];
      const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
      if (n <= 0) break;
      const std::string typed = keys.feed(std::string_view(buf, static_cast<std::size_t>(n)));
      if (!typed.empty()) {
        request("terminal.input",
                json::object{{"b64", core::base64url_encode({reinterpret_cast<const std::uint8_t*>(typed.data()), typed.size()})}});
      }
      if (keys.detached) break;
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      for (;;) {
        auto line = client->read_line(std::chrono::milliseconds(0));
        if (!line) {
          if (line.error().code != core::Errc::timeout) done = true;
          break;
        }
        boost::system::error_code ec;
        json::value v = json::parse(*line, ec);
        if (ec || !v.is_object()) continue;
        const auto& msg = v.as_object();
        if (const auto* e = msg.if_contains("error"); e && e->is_object()) {
          std::fprintf(stderr, "\r\ntether attach: %s\r\n", string_at(e->as_object(), "message").c_str());
          exit_code = kExitFailure;
          done = true;
          break;
        }
        const auto* p = msg.if_contains("params");
        if (!p || !p->is_object() || string_at(msg, "method") != "session.event") continue;
        const auto& params = p->as_object();
        const auto& data = params.at("data");
        const std::string kind = string_at(params, "kind");
        if (kind == "terminal_output" && data.is_object()) {
          if (auto bytes = core::base64url_decode(string_at(data.as_object(), "data"))) {
            write_all(STDOUT_FILENO, std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
          }
        } else if (kind == "output_lost" && data.is_object()) {
          std::fprintf(stderr, "\r\n%s\r\n", output_lost_text(data.as_object()).c_str());
        } else if (kind == "status" && data.is_object()) {
          const auto status = core::parse_session_status(string_at(data.as_object(), "status"));
          if (status == core::SessionStatus::exited || status == core::SessionStatus::error) {
            exit_code = static_cast<int>(int_at(data.as_object(), "code"));
            done = true;
            break;
          }
        }
      }
    }
  }
  ::signal(SIGWINCH, SIG_DFL);
  ::close(winch_pipe[0]);
  ::close(winch_pipe[1]);
  std::fprintf(stderr, keys.detached ? "\r\ndetached from %s (it keeps running)\r\n" : "\r\n[%s ended]\r\n", session.c_str());
  return exit_code;
}

}  // namespace tether::cli
