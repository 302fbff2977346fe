// Test tool: connects to a paired remote host as its device (from HOME's
// remotes.json) and holds the connection until the daemon closes it, then prints
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
  auto hosts = tether::cli::load_remote_hosts(tether::core::HomePaths{argv[1]});
  if (!hosts || !hosts->contains(argv[2])) {
    std::fprintf(stderr, "no host %s\n", argv[2]);
    return 1;
  }
  auto reply = tether::cli::remote_exchange(hosts->at(argv[2]), "", std::nullopt, std::chrono::seconds(60), true);
  if (!reply) {
    std::printf("error %s\n", reply.error().code.c_str());
    return 1;
  }
  std::printf("closed %u\n", reply->close_code);
  return 0;
}
