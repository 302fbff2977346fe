// SseParser: events split anywhere, the three line endings, multi-line data, comments,
// fields, the byte order mark and the size limit.
#include "net/sse_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tether::net {
namespace {

std::vector<SseEvent> feed_all(SseParser& p, std::string_view bytes) {
  auto r = p.feed(bytes);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : std::vector<SseEvent>{};
}

std::vector<std::string> datas(const std::vector<SseEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.data);
  return out;
}

TEST(SseParser, OneEventPerBlankLine) {
  SseParser p;
  EXPECT_EQ(datas(feed_all(p, "data: {\"a\":1}\n\ndata: two\n\n")), (std::vector<std::string>{"{\"a\":1}", "two"}));
}

TEST(SseParser, AnEventWaitsForItsBlankLine) {
  SseParser p;
  EXPECT_TRUE(feed_all(p, "data: one\n").empty());
  EXPECT_TRUE(feed_all(p, "data: more").empty());
  EXPECT_EQ(datas(feed_all(p, "\n\n")), (std::vector<std::string>{"one\nmore"}));
}

TEST(SseParser, CrLfAndCrEndLinesToo) {
  SseParser p;
  EXPECT_EQ(datas(feed_all(p, "data: a\r\n\r\ndata: b\r\rdata: c\n\n")), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(SseParser, SplitAtEveryByteGivesTheSameEvents) {
  const std::string stream = "\xEF\xBB\xBF: hello\r\nevent: x\r\ndata: first\r\ndata:second\r\nid: 7\r\n\r\ndata: third\r\n\r\n";
  SseParser whole;
  const auto expected = feed_all(whole, stream);
  ASSERT_EQ(expected.size(), 2u);
  for (std::size_t cut = 1; cut < stream.size(); ++cut) {
    SseParser p;
    auto got = feed_all(p, std::string_view(stream).substr(0, cut));
    for (auto& e : feed_all(p, std::string_view(stream).substr(cut))) got.push_back(e);
    ASSERT_EQ(datas(got), datas(expected)) << "cut at " << cut;
  }
  SseParser bytewise;
  std::vector<SseEvent> got;
  for (char c : stream) {
    for (auto& e : feed_all(bytewise, std::string_view(&c, 1))) got.push_back(e);
  }
  EXPECT_EQ(datas(got), datas(expected));
}

TEST(SseParser, FieldsCommentsAndTheBom) {
  SseParser p;
  const auto events = feed_all(p, "\xEF\xBB\xBF: a comment\nevent: ping\nid: 42\nretry: 10\nunknown: x\ndata:  two spaces\n\ndata: next\n\n");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "ping");
  EXPECT_EQ(events[0].id, "42");
  EXPECT_EQ(events[0].data, " two spaces");  // only one space after the colon is dropped
  EXPECT_EQ(events[1].type, "");             // the type does not carry over
  EXPECT_EQ(events[1].id, "42");             // the id does
}

TEST(SseParser, BlankLinesWithoutDataDispatchNothing) {
  SseParser p;
  EXPECT_TRUE(feed_all(p, "\n\n: keep-alive\n\nevent: lonely\n\n").empty());
  const auto events = feed_all(p, "data\n\n");  // a field name alone: empty data, still an event
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "");
}

TEST(SseParser, AnOversizedEventFailsTheStream) {
  SseParser p(16);
  EXPECT_TRUE(p.feed("data: 0123456789\n").ok());
  auto r = p.feed("data: 0123456789\n\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::Errc::too_large);
  EXPECT_FALSE(p.feed("data: x\n\n").ok());

  SseParser endless(16);  // a line that never ends counts too
  EXPECT_FALSE(endless.feed(std::string(40, 'x')).ok());
}

}  // namespace
}  // namespace tether::net
