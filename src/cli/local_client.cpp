#include "cli/local_client.hpp"

#include <cstdio>

#include <boost/json/parse.hpp>

#include "cli/remote_client.hpp"
#include "cli/remote_hosts.hpp"
#include "proto/jsonrpc.hpp"

namespace tether::cli {

namespace json = boost::json;

namespace {

std::optional<std::string>& remote_host() {
  static std::optional<std::string> host;
  return host;
}

core::Result<std::string> exchange_remote(const core::HomePaths& home, const std::string& name, const std::string& request,
                                          std::chrono::milliseconds timeout) {
  auto host = remote_host_named(home, name);
  if (!host) return host.error();
  auto reply = remote_exchange(*host, "", request, std::chrono::duration_cast<std::chrono::seconds>(timeout));
  if (!reply) return reply.error();
  keep_rotation(home, name, *reply);
  return reply->reply_line;
}

core::Result<std::string> exchange_local(const core::HomePaths& home, const std::string& request,
                                         std::chrono::milliseconds timeout) {
  auto client = connect_local(home);
  if (!client) return client.error();
  if (auto w = client->write_line(request); !w) return w.error();
  return client->read_line(timeout);
}

}  // namespace

void keep_rotation(const core::HomePaths& home, const std::string& name, const RemoteReply& reply) {
  if (!reply.rotation) return;
  if (auto kept = adopt_rotation(home, name, *reply.rotation); !kept) {
    std::fprintf(stderr, "tether: %s rotated its key, but the change was not kept: %s\n", name.c_str(), kept.error().message.c_str());
  } else {
    std::fprintf(stderr, "tether: %s rotated its key; this CLI now knows it as %s\n", name.c_str(), reply.rotation->new_id.c_str());
  }
}

core::Result<net::UnixClient> connect_local(const core::HomePaths& home) {
  auto client = net::UnixClient::connect(home.socket());
  if (!client && client.error().code == core::Errc::not_running) {
    return core::make_error(core::Errc::daemon_not_running, client.error().message);
  }
  return client;
}

void set_remote_host(std::string name) { remote_host() = std::move(name); }
std::optional<std::string> current_remote_host() { return remote_host(); }

core::Result<json::value> call_daemon(const core::HomePaths& home, std::string_view method, const json::object& params,
                                      std::chrono::milliseconds timeout) {
  const std::string request = proto::make_request(1, method, params);
  auto line = remote_host() ? exchange_remote(home, *remote_host(), request, timeout) : exchange_local(home, request, timeout);
  if (!line) return line.error();
  return reply_result(*line);
}

core::Result<json::value> reply_result(std::string_view line) {
  boost::system::error_code ec;
  json::value reply = json::parse(line, ec);
  if (ec || !reply.is_object()) return core::make_error(core::Errc::io, "the daemon sent a reply that is not JSON");
  const auto& obj = reply.as_object();
  if (const auto* err = obj.if_contains("error"); err && err->is_object()) {
    const auto& e = err->as_object();
    core::Errc code = core::Errc::rpc_error;
    std::string unknown_code;  // a code this build does not know (a newer daemon): kept for the message
    if (const auto* data = e.if_contains("data"); data && data->is_object()) {
      if (const auto* c = data->as_object().if_contains("code"); c && c->is_string()) {
        if (auto known = core::errc_from_string(c->as_string())) {
          code = *known;
        } else {
          unknown_code = std::string(c->as_string());
        }
      }
    }
    const auto* msg = e.if_contains("message");
    std::string message = msg && msg->is_string() ? std::string(msg->as_string()) : "the daemon reported an error";
    if (!unknown_code.empty()) message += " (" + unknown_code + ")";
    return core::make_error(code, std::move(message));
  }
  if (const auto* result = obj.if_contains("result")) return *result;
  return core::make_error(core::Errc::io, "the daemon's reply has neither result nor error");
}

}  // namespace tether::cli
