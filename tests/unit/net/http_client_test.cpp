// http_request and http_event_stream against a scripted TCP peer on 127.0.0.1 (a thread
// with blocking sockets): the request on the wire, statuses, bodies, limits, timeouts,
// refused connections, chunked event streams, non-2xx streams and cancelling.
#include "net/http_client.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tether::net {
namespace {

using namespace std::chrono_literals;

// Accepts one connection, records the request (headers and Content-Length body), then
// plays `script`: each step writes bytes after a pause; `hold` keeps the socket open
// afterwards until the client closes it (or 5 s pass).
class Peer {
 public:
  struct Step {
    std::string bytes;
    std::chrono::milliseconds pause{0};
  };

  explicit Peer(std::vector<Step> script, bool hold = false) : script_(std::move(script)), hold_(hold) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(fd_, 4), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~Peer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  std::uint16_t port() const { return port_; }
  // The request as received (valid once the client got its answer).
  std::string request() const { return request_; }
  bool saw_client_close() const { return client_closed_; }

 private:
  void serve() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 5000) != 1) return;
    const int c = ::accept(fd_, nullptr, nullptr);
    if (c < 0) return;
    std::string in;
    char buf[4096];
    for (;;) {
      const auto end = in.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::size_t length = 0;
        if (const auto at = in.find("Content-Length: "); at != std::string::npos) length = std::stoul(in.substr(at + 16));
        if (in.size() >= end + 4 + length) break;
      }
      pollfd q{c, POLLIN, 0};
      if (::poll(&q, 1, 5000) != 1) break;
      const ssize_t n = ::recv(c, buf, sizeof buf, 0);
      if (n <= 0) break;
      in.append(buf, static_cast<std::size_t>(n));
    }
    request_ = in;
    for (const auto& step : script_) {
      std::this_thread::sleep_for(step.pause);
      if (stop_) break;
      (void)::send(c, step.bytes.data(), step.bytes.size(), MSG_NOSIGNAL);
    }
    if (hold_) {
      for (int i = 0; i < 500 && !stop_; ++i) {
        pollfd q{c, POLLIN, 0};
        if (::poll(&q, 1, 10) == 1 && ::recv(c, buf, sizeof buf, 0) <= 0) {
          client_closed_ = true;
          break;
        }
      }
    }
    ::close(c);
  }

  std::vector<Step> script_;
  bool hold_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> client_closed_{false};
  std::string request_;
};

class HttpClientTest : public ::testing::Test {
 protected:
  // Runs the loop until a handler calls runtime.stop() (or 10 s pass: a failure).
  void run() {
    bool timed_out = false;
    auto cancel = runtime.after(10s, [&] {
      timed_out = true;
      runtime.stop();
    });
    runtime.run();
    cancel();
    runtime.restart();
    EXPECT_FALSE(timed_out) << "the client never finished";
  }
  HttpClientRequest request_to(std::uint16_t port) {
    HttpClientRequest r;
    r.port = port;
    return r;
  }
  Runtime runtime;
};

TEST_F(HttpClientTest, PostsAndReadsTheResponse) {
  Peer peer({{"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"id\":\"s\"}\n"}});
  auto r = request_to(peer.port());
  r.method = "POST";
  r.target = "/session?x=1";
  r.headers = {{"Authorization", "Basic abc"}, {"Content-Type", "application/json"}};
  r.body = R"({"title":"t"})";
  std::optional<core::Result<HttpClientResponse>> got;
  http_request(runtime, r, [&](core::Result<HttpClientResponse> res) {
    got = std::move(res);
    runtime.stop();
  });
  run();
  ASSERT_TRUE(got && got->ok()) << (got ? got->error().message : "no answer");
  EXPECT_EQ((*got)->status, 201);
  EXPECT_EQ((*got)->content_type, "application/json");
  EXPECT_EQ((*got)->body, "{\"id\":\"s\"}\n");
  const std::string req = peer.request();
  EXPECT_TRUE(req.starts_with("POST /session?x=1 HTTP/1.1\r\n")) << req;
  EXPECT_NE(req.find("Host: 127.0.0.1:" + std::to_string(peer.port()) + "\r\n"), std::string::npos) << req;
  EXPECT_NE(req.find("Authorization: Basic abc\r\n"), std::string::npos) << req;
  EXPECT_NE(req.find("Content-Length: 13\r\n"), std::string::npos) << req;
  EXPECT_TRUE(req.ends_with("\r\n\r\n{\"title\":\"t\"}")) << req;
}

TEST_F(HttpClientTest, AnyStatusIsAnAnswerAndEofEndsABodyWithoutLength) {
  Peer peer({{"HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n{\"name\":\"NotFoundError\"}"}});
  std::optional<core::Result<HttpClientResponse>> got;
  http_request(runtime, request_to(peer.port()), [&](core::Result<HttpClientResponse> res) {
    got = std::move(res);
    runtime.stop();
  });
  run();
  ASSERT_TRUE(got && got->ok()) << (got ? got->error().message : "no answer");
  EXPECT_EQ((*got)->status, 404);
  EXPECT_EQ((*got)->body, "{\"name\":\"NotFoundError\"}");
  EXPECT_TRUE(peer.request().starts_with("GET / HTTP/1.1\r\n"));
}

TEST_F(HttpClientTest, AHostNameIsResolved) {
  Peer peer({{"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"}});
  auto r = request_to(peer.port());
  r.host = "localhost";
  std::optional<core::Result<HttpClientResponse>> got;
  http_request(runtime, r, [&](core::Result<HttpClientResponse> res) {
    got = std::move(res);
    runtime.stop();
  });
  run();
  ASSERT_TRUE(got && got->ok()) << (got ? got->error().message : "no answer");
  EXPECT_EQ((*got)->body, "ok");
  EXPECT_NE(peer.request().find("Host: localhost:" + std::to_string(peer.port()) + "\r\n"), std::string::npos);
}

TEST_F(HttpClientTest, ErrorsComeBackAsValues) {
  // Nothing listens on a port that was just closed.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  std::vector<std::string> codes;
  auto record = [&](core::Result<HttpClientResponse> res) {
    codes.push_back(res.ok() ? "ok" : std::string(core::to_string(res.error().code)));
    if (codes.size() == 3) runtime.stop();
  };
  http_request(runtime, request_to(ntohs(addr.sin_port)), record);

  Peer silent({}, true);
  auto slow = request_to(silent.port());
  slow.timeout = 200ms;
  http_request(runtime, slow, record);

  Peer big({{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'x')}});
  auto limited = request_to(big.port());
  limited.max_response_bytes = 10;
  http_request(runtime, limited, record);
  run();
  std::sort(codes.begin(), codes.end());
  EXPECT_EQ(codes, (std::vector<std::string>{"connect", "timeout", "too_large"}));
}

TEST_F(HttpClientTest, CancelledRequestsNeverAnswer) {
  Peer silent({}, true);
  bool answered = false;
  auto cancel = http_request(runtime, request_to(silent.port()), [&](core::Result<HttpClientResponse>) { answered = true; });
  runtime.after(100ms, [&] { cancel(); });
  runtime.after(300ms, [&] { runtime.stop(); });
  run();
  EXPECT_FALSE(answered);
}

TEST_F(HttpClientTest, StreamsChunkedEventsInOrderUntilTheServerCloses) {
  Peer peer({{"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"},
             {"1c\r\ndata: {\"type\":\"one\"}\n\ndata: \r\n", 50ms},
             {"b\r\n{\"type\":\"tw\r\n", 50ms},
             {"5\r\no\"}\n\n\r\n0\r\n\r\n", 50ms}});
  auto r = request_to(peer.port());
  r.target = "/event";
  r.headers = {{"Authorization", "Basic abc"}};
  bool opened = false;
  std::vector<std::string> events;
  std::optional<core::Error> end;
  SseHandlers h;
  h.on_open = [&] { opened = true; };
  h.on_event = [&](std::string_view data) { events.emplace_back(data); };
  h.on_end = [&](core::Error e) {
    end = std::move(e);
    runtime.stop();
  };
  http_event_stream(runtime, r, 5s, h);
  run();
  EXPECT_TRUE(opened);
  EXPECT_EQ(events, (std::vector<std::string>{R"({"type":"one"})", R"({"type":"two"})"}));
  ASSERT_TRUE(end);
  EXPECT_EQ(end->code, core::Errc::closed);
  EXPECT_TRUE(peer.request().starts_with("GET /event HTTP/1.1\r\n"));
  EXPECT_NE(peer.request().find("Accept: text/event-stream\r\n"), std::string::npos);
}

TEST_F(HttpClientTest, AStreamRefusedWithAStatusSaysWhy) {
  Peer peer({{"HTTP/1.1 401 Unauthorized\r\nContent-Length: 12\r\n\r\nUnauthorized"}});
  bool opened = false;
  std::optional<core::Error> end;
  SseHandlers h;
  h.on_open = [&] { opened = true; };
  h.on_end = [&](core::Error e) {
    end = std::move(e);
    runtime.stop();
  };
  http_event_stream(runtime, request_to(peer.port()), 5s, h);
  run();
  EXPECT_FALSE(opened);
  ASSERT_TRUE(end);
  EXPECT_EQ(end->code, core::Errc::status);
  EXPECT_NE(end->message.find("HTTP 401: Unauthorized"), std::string::npos) << end->message;
}

TEST_F(HttpClientTest, ASilentStreamTimesOut) {
  Peer peer({{"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"}}, true);
  std::optional<core::Error> end;
  SseHandlers h;
  h.on_end = [&](core::Error e) {
    end = std::move(e);
    runtime.stop();
  };
  http_event_stream(runtime, request_to(peer.port()), 200ms, h);
  run();
  ASSERT_TRUE(end);
  EXPECT_EQ(end->code, core::Errc::idle_timeout);
}

TEST_F(HttpClientTest, CancellingFromAnEventStopsEverything) {
  Peer peer({{"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
              "data: 1\n\ndata: 2\n\n"},
             {"data: 3\n\n", 200ms}},
            true);
  std::vector<std::string> events;
  bool ended = false;
  std::function<void()> cancel;
  SseHandlers h;
  h.on_event = [&](std::string_view data) {
    events.emplace_back(data);
    cancel();  // the owner goes away while handling the first event
  };
  h.on_end = [&](core::Error) { ended = true; };
  cancel = http_event_stream(runtime, request_to(peer.port()), 0s, h);
  runtime.after(600ms, [&] { runtime.stop(); });
  run();
  EXPECT_EQ(events, (std::vector<std::string>{"1"}));
  EXPECT_FALSE(ended);
}

}  // namespace
}  // namespace tether::net
