// HttpServerOptions::max_connections: past it an accepted socket is closed at once, before
// on_connect; a place comes back when a held socket closes.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "net/http_server.hpp"
#include "unit/run_until.hpp"

namespace tether::net {
namespace {

using namespace std::chrono_literals;

int connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0) << std::strerror(errno);
  return fd;
}

// The server closed `fd` (it reads its end), without a byte before it.
bool closed_unanswered(int fd) {
  char c = 0;
  const auto n = ::recv(fd, &c, 1, MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno == ECONNRESET);
}

TEST(HttpServerCap, ASocketPastTheCapIsClosedAtOnceAndAPlaceComesBack) {
  Runtime runtime;
  int connected = 0;
  std::vector<HttpEvent> events;
  HttpHandlers handlers;
  handlers.on_connect = [&](std::uint64_t, const std::string&) -> std::optional<HttpResponse> {
    ++connected;
    return std::nullopt;  // served: it waits for a request
  };
  handlers.on_event = [&](HttpEvent e) { events.push_back(e); };
  auto server = HttpServer::listen(runtime, {.port = 0, .max_connections = 2}, handlers);
  ASSERT_TRUE(server) << server.error().message;
  auto until = [&](const std::function<bool()>& done) { return testing::run_until(runtime, done, 10s); };

  const int a = connect_to((*server)->port());
  const int b = connect_to((*server)->port());
  ASSERT_TRUE(until([&] { return connected == 2; }));
  EXPECT_EQ((*server)->connections(), 2u);

  const int c = connect_to((*server)->port());
  EXPECT_TRUE(until([&] { return closed_unanswered(c); }));
  EXPECT_EQ(connected, 2);
  EXPECT_EQ((*server)->connections(), 2u);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0], HttpEvent::over_capacity);

  ::close(a);
  EXPECT_TRUE(until([&] { return (*server)->connections() == 1; }));
  const int d = connect_to((*server)->port());
  EXPECT_TRUE(until([&] { return connected == 3; }));
  EXPECT_FALSE(closed_unanswered(d));

  for (int fd : {b, c, d}) ::close(fd);
  (*server)->shutdown();
  (void)until([&] { return (*server)->connections() == 0; });
}

}  // namespace
}  // namespace tether::net
