// The accept loop both servers share (net/detail/accept_loop.hpp): what each failed accept
// calls for, and, with real sockets, that the unix line server and the HTTP server each go
// on accepting once the process has run out of descriptors and got some back.
#include "net/detail/accept_loop.hpp"

#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "net/http_server.hpp"
#include "net/line_server.hpp"
#include "unit/run_until.hpp"
#include "unit/temp_dir.hpp"

namespace tether::net {
namespace {

using namespace std::chrono_literals;
using detail::AcceptFailure;
using detail::accept_failure;

TEST(AcceptFailure, OutOfDescriptorsOrBufferSpacePausesThenRetries) {
  namespace error = boost::asio::error;
  EXPECT_EQ(accept_failure(error::no_descriptors, false), AcceptFailure::pause_then_retry);
  EXPECT_EQ(accept_failure(error::no_buffer_space, false), AcceptFailure::pause_then_retry);
  EXPECT_EQ(accept_failure(error::no_memory, false), AcceptFailure::pause_then_retry);
}

TEST(AcceptFailure, TheSystemOutOfDescriptorsPausesToo) {
  const boost::system::error_code enfile(ENFILE, boost::system::system_category());
  EXPECT_EQ(accept_failure(enfile, false), AcceptFailure::pause_then_retry);
}

TEST(AcceptFailure, ItsTextNeedsNoVirtualCall) {
  EXPECT_EQ(detail::accept_error_text(boost::asio::error::no_descriptors), std::strerror(EMFILE));
}

TEST(AcceptFailure, AClosedAcceptorOrAShutdownStops) {
  namespace error = boost::asio::error;
  EXPECT_EQ(accept_failure(error::operation_aborted, false), AcceptFailure::stop);
  EXPECT_EQ(accept_failure(error::no_descriptors, true), AcceptFailure::stop);
  EXPECT_EQ(accept_failure(error::connection_aborted, true), AcceptFailure::stop);
}

TEST(AcceptFailure, APeerThatGaveUpIsPassedOver) {
  namespace error = boost::asio::error;
  EXPECT_EQ(accept_failure(error::connection_aborted, false), AcceptFailure::retry);
  EXPECT_EQ(accept_failure(error::connection_reset, false), AcceptFailure::retry);
}

// Every descriptor the process may open is taken while this lives (the soft limit is
// lowered and the rest filled with copies of stdin); all is given back at the end.
// Meanwhile the sanitizers cannot check a type they have not seen yet (they open a pipe
// for it), so the constructor first logs with an argument, as a daemon has long done by
// then. What the accept loop adds under exhaustion must need no new check: not
// error_code::message(), say, on the first EMFILE (the sanitizer build would abort).
class DescriptorsExhausted {
 public:
  DescriptorsExhausted() {
    spdlog::warn("taking every descriptor; accepts fail meanwhile ({})", "for a moment");
    ::getrlimit(RLIMIT_NOFILE, &saved_);
    rlimit low = saved_;
    low.rlim_cur = std::min<rlim_t>(saved_.rlim_cur, 1024);
    ::setrlimit(RLIMIT_NOFILE, &low);
    for (;;) {
      const int fd = ::dup(0);
      if (fd < 0) break;
      taken_.push_back(fd);
    }
    exhausted_ = errno == EMFILE;
  }
  ~DescriptorsExhausted() { give_back(); }
  void give_back() {
    for (int fd : taken_) ::close(fd);
    taken_.clear();
    ::setrlimit(RLIMIT_NOFILE, &saved_);
  }
  bool exhausted() const { return exhausted_; }

 private:
  rlimit saved_{};
  std::vector<int> taken_;
  bool exhausted_ = false;
};

class AcceptLoopTest : public tether::testing::TempDirTest {
 protected:
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 10s) {
    return tether::testing::run_until(runtime_, done, limit);
  }
  // Runs the loop for `d` whatever happens.
  void run_for(std::chrono::milliseconds d) {
    const auto until = std::chrono::steady_clock::now() + d;
    (void)run_until([&] { return std::chrono::steady_clock::now() >= until; });
  }

  Runtime runtime_;
};

TEST_F(AcceptLoopTest, TheLineServerAcceptsAgainOnceDescriptorsAreBack) {
  int opened = 0;
  LineHandlers handlers;
  handlers.on_open = [&](LineConnection&) {
    ++opened;
    return true;
  };
  const auto path = dir_ / "s.sock";
  auto server = UnixLineServer::listen(runtime_, {.socket_path = path}, handlers);
  ASSERT_TRUE(server) << server.error().message;

  const int client = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(client, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  run_for(10ms);
  ASSERT_EQ(::connect(client, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0) << std::strerror(errno);
  {
    DescriptorsExhausted full;
    ASSERT_TRUE(full.exhausted());
    run_for(300ms);  // each accept fails: no descriptor for the connection
    EXPECT_EQ(opened, 0);
  }
  EXPECT_TRUE(run_until([&] { return opened == 1; }));
  ::close(client);
  bool drained = false;
  (*server)->shutdown([&] { drained = true; });
  EXPECT_TRUE(run_until([&] { return drained; }));
}

TEST_F(AcceptLoopTest, TheHttpServerAcceptsAgainOnceDescriptorsAreBack) {
  int connected = 0;
  HttpHandlers handlers;
  handlers.on_connect = [&](std::uint64_t, const std::string&) -> std::optional<HttpResponse> {
    ++connected;
    return HttpResponse{.status = 503, .body = "busy", .close = true};
  };
  auto server = HttpServer::listen(runtime_, {.port = 0}, handlers);
  ASSERT_TRUE(server) << server.error().message;

  const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(client, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((*server)->port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  run_for(10ms);
  ASSERT_EQ(::connect(client, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0) << std::strerror(errno);
  {
    DescriptorsExhausted full;
    ASSERT_TRUE(full.exhausted());
    run_for(300ms);
    EXPECT_EQ(connected, 0);
  }
  EXPECT_TRUE(run_until([&] { return connected == 1; }));
  ::close(client);
  (*server)->shutdown();
  run_for(50ms);
}

}  // namespace
}  // namespace tether::net
