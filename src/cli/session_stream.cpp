#include "cli/session_stream.hpp"

#include <boost/json/parse.hpp>
#include <fmt/format.h>

#include "cli/local_client.hpp"
#include "cli/remote_client.hpp"
#include "cli/remote_hosts.hpp"
#include "link/close_codes.hpp"
#include "net/unix_client.hpp"
#include "proto/jsonrpc.hpp"

namespace tether::cli {

namespace json = boost::json;

namespace {

// Parses one line and routes it: an error reply ends the stream with that error.
struct Router {
  const MessageHandler& on_message;
  std::optional<core::Error> error;
  bool stopped = false;  // the handler said stop, or a message ended the stream
  bool operator()(std::string_view line) {
    stopped = !route(line);
    return !stopped;
  }
  bool route(std::string_view line) {
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) {
      error = core::make_error(core::Errc::io, "the daemon sent a message that is not JSON");
      return false;
    }
    if (v.as_object().contains("id")) {
      if (auto r = reply_result(line); !r) {
        error = r.error();
        return false;
      }
    }
    return on_message(v.as_object());
  }
};

// Why a followed connection ended that nobody asked to end.
core::Error ended(std::uint16_t code, const std::string& reason) {
  if (code == link::close_code::kDeviceRevoked) return core::make_error(core::Errc::revoked, "this device was revoked");
  if (code == link::close_code::kDaemonStopping) return core::make_error(core::Errc::stopping, "the daemon stopped");
  return core::make_error(core::Errc::closed, fmt::format("the connection ended ({}{}{})", code, reason.empty() ? "" : " ", reason));
}

}  // namespace

core::Result<void> follow_session(const core::HomePaths& home, const std::string& session, std::int64_t since,
                                  const MessageHandler& on_message) {
  const std::string request = proto::make_request(1, "session.subscribe", json::object{{"session", session}, {"since", since}});
  Router route{on_message, std::nullopt};
  if (const auto host_name = current_remote_host()) {
    auto host = remote_host_named(home, *host_name);
    if (!host) return host.error();
    auto done = remote_exchange(*host, "", request, std::chrono::hours(24 * 365), true,
                                [&route](std::string_view line, const RemoteSend&) { return route(line); });
    if (!done) return done.error();
    keep_rotation(home, *host_name, *done);
    if (!route.stopped) return ended(done->close_code, done->close_reason);
  } else {
    auto client = connect_local(home);
    if (!client) return client.error();
    if (auto w = client->write_line(request); !w) return w.error();
    for (;;) {
      auto line = client->read_line(std::chrono::hours(24));
      if (!line) {
        if (line.error().code == core::Errc::timeout) continue;
        if (line.error().code == core::Errc::closed) return core::make_error(core::Errc::stopping, "the daemon stopped");
        return line.error();
      }
      if (!route(*line)) break;
    }
  }
  if (route.error) return *route.error;
  return {};
}

}  // namespace tether::cli
