// Test tool: connects to a paired remote host as its device (from HOME's
// remotes.json), asks daemon.info, and holds the connection until the daemon closes it, then prints
// "closed <code>". The daemon's `devices` list shows the live connection meanwhile.
#include <cstdio>

#include "cli/remote_client.hpp"
#include "crypto/identity.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: device_hold HOME NAME\n");
    return 2;
  }
  if (!tether::crypto::init()) return 1;
  auto host = tether::cli::remote_host_named(tether::core::HomePaths{argv[1]}, argv[2]);
  if (!host) {
    std::fprintf(stderr, "%s\n", host.error().message.c_str());
    return 1;
  }
  // One request first: a connection counts as live once the device has spoken on it.
  const std::string hello_request = R"({"jsonrpc":"2.0","id":1,"method":"daemon.info"})";
  auto reply = tether::cli::remote_exchange(*host, "", hello_request, std::chrono::seconds(60), true,
                                            [](std::string_view, const tether::cli::RemoteSend&) { return true; });
  if (!reply) {
    std::printf("error %s\n", std::string(tether::core::to_string(reply.error().code)).c_str());
    return 1;
  }
  std::printf("closed %u\n", reply->close_code);
  return 0;
}
