#include "net/request_head.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tether::net {
namespace {

constexpr std::size_t kMax = 8 * 1024;

HeadOutcome parse(std::string_view bytes, std::size_t* used_out = nullptr) {
  std::size_t used = 0;
  HeadOutcome out = parse_request_head(bytes, kMax, used);
  if (used_out) *used_out = used;
  return out;
}

HeadRefusal refusal(std::string_view bytes) {
  const HeadOutcome out = parse(bytes);
  EXPECT_TRUE(std::holds_alternative<HeadRefusal>(out)) << bytes;
  return std::holds_alternative<HeadRefusal>(out) ? std::get<HeadRefusal>(out) : HeadRefusal{};
}

TEST(RequestHead, ReadsARequestAndStopsAtItsEnd) {
  const std::string first = "GET /v1/daemon?x=1 HTTP/1.1\r\nHost: Relay.example:443\r\nOrigin: https://relay.example\r\n\r\n";
  std::size_t used = 0;
  const HeadOutcome out = parse(first + "GET /next HTTP/1.1\r\n", &used);
  ASSERT_TRUE(std::holds_alternative<RequestHead>(out));
  const RequestHead& head = std::get<RequestHead>(out);
  EXPECT_EQ(used, first.size());
  EXPECT_EQ(head.request.method, "GET");
  EXPECT_EQ(head.request.target, "/v1/daemon?x=1");
  EXPECT_EQ(head.request.host, "Relay.example:443");
  EXPECT_EQ(head.request.origin, "https://relay.example");
  EXPECT_FALSE(head.request.websocket);
  EXPECT_EQ(head.version, 11u);
  EXPECT_TRUE(head.keep_alive);
  EXPECT_FALSE(head.head);
}

TEST(RequestHead, AHeadCutShortIsIncomplete) {
  EXPECT_TRUE(std::holds_alternative<HeadIncomplete>(parse("")));
  EXPECT_TRUE(std::holds_alternative<HeadIncomplete>(parse("GET / HTTP/1.1\r\nHost: a\r\n")));
}

TEST(RequestHead, HostTwiceOrMissingIn11Is400) {
  const HeadRefusal two = refusal("GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n");
  EXPECT_EQ(two.status, 400);
  EXPECT_EQ(two.body, "more than one Host header\n");
  EXPECT_EQ(two.event, HttpEvent::bad_request);
  const HeadRefusal none = refusal("GET / HTTP/1.1\r\nUser-Agent: x\r\n\r\n");
  EXPECT_EQ(none.status, 400);
  EXPECT_EQ(none.body, "no Host header\n");
  EXPECT_TRUE(std::holds_alternative<RequestHead>(parse("GET / HTTP/1.0\r\n\r\n")));
}

TEST(RequestHead, UnparsableIs400AndTooLargeIs431) {
  const HeadRefusal bad = refusal("GET / HTTP/1.1\r\nHost a\r\n\r\n");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.event, HttpEvent::bad_request);
  EXPECT_EQ(refusal("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n").status, 400);  // no body is accepted
  const HeadRefusal big = refusal("GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(kMax, 'a') + "\r\n\r\n");
  EXPECT_EQ(big.status, 431);
  EXPECT_EQ(big.event, HttpEvent::header_too_large);
}

TEST(RequestHead, AnUpgradeNeedsAValidKey) {
  const std::string upgrade = "GET /v1/daemon HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n";
  const HeadOutcome good = parse(upgrade + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
  ASSERT_TRUE(std::holds_alternative<RequestHead>(good));
  EXPECT_TRUE(std::get<RequestHead>(good).request.websocket);
  const HeadRefusal stray_bits = refusal(upgrade + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZR==\r\n\r\n");
  EXPECT_EQ(stray_bits.status, 400);
  EXPECT_EQ(stray_bits.event, HttpEvent::websocket_handshake_failed);
  EXPECT_EQ(refusal(upgrade + "\r\n").body, "bad Sec-WebSocket-Key\n");
}

TEST(RequestHead, HeadRequestsAreMarked) {
  const HeadOutcome out = parse("HEAD /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(std::holds_alternative<RequestHead>(out));
  EXPECT_TRUE(std::get<RequestHead>(out).head);
  EXPECT_FALSE(std::get<RequestHead>(out).keep_alive);
}

}  // namespace
}  // namespace tether::net
