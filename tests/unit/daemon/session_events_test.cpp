// session.events pages through the whole method table: a page is bounded by bytes as well
// as by count, so any page fits what the local socket and a Noise channel carry, and the
// reply says whether more follow and where to go on from.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "daemon/event_page.hpp"
#include "test_daemon.hpp"
#include "unit/temp_dir.hpp"

namespace tether::daemon {
namespace {

namespace json = boost::json;

class SessionEvents : public tether::testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    ASSERT_TRUE(crypto::init());
    daemon_ = std::make_unique<testing::TestDaemon>(dir_);
    const auto at = store::from_unix_ms(1'700'000'000'000);
    ASSERT_TRUE(daemon_->store->sessions().create(store::SessionRow{"s", "term", core::ProviderType::terminal, "/tmp",
                                                                     core::SessionMode::ask, core::SessionStatus::exited,
                                                                     "", "{}", at, at}));
  }
  // `count` events of about `bytes` each, in one transaction.
  void append(std::size_t count, std::size_t bytes) {
    std::vector<store::NewEvent> batch;
    for (std::size_t i = 0; i < count; ++i) {
      batch.push_back({"s", "terminal_output", json::serialize(json::object{{"b64", std::string(bytes, 'A')}})});
    }
    ASSERT_TRUE(daemon_->store->events().append_batch(batch, store::from_unix_ms(1'700'000'000'001)));
  }
  // The reply line, as a transport would carry it.
  std::string call(json::object params) {
    const std::string line = json::serialize(json::object{
        {"jsonrpc", "2.0"}, {"id", 1}, {"method", "session.events"}, {"params", std::move(params)}});
    return daemon_->dispatcher.handle(line, proto::Caller{proto::Role::owner, "", 1});
  }
  std::unique_ptr<testing::TestDaemon> daemon_;
};

TEST_F(SessionEvents, APageIsBoundedByBytesAndSaysWhereTheNextBegins) {
  append(600, 8 * 1024);  // about 4.8 MiB in all
  std::int64_t since = 0;
  std::int64_t expected = 1;
  int pages = 0;
  for (bool more = true; more; ++pages) {
    ASSERT_LT(pages, 100);
    const std::string line = call({{"session", "s"}, {"since", since}, {"limit", 10000}});
    EXPECT_LE(line.size(), kEventsPageBytes + 4096);
    const auto reply = json::parse(line).as_object();
    ASSERT_TRUE(reply.contains("result")) << line.substr(0, 300);
    const auto& result = reply.at("result").as_object();
    const auto& events = result.at("events").as_array();
    ASSERT_FALSE(events.empty());
    for (const auto& e : events) EXPECT_EQ(e.as_object().at("seq").as_int64(), expected++);
    since = result.at("since").as_int64();
    EXPECT_EQ(since, expected - 1);
    more = result.at("more").as_bool();
  }
  EXPECT_EQ(expected, 601);  // every event once, in order
  EXPECT_GE(pages, 5);
}

TEST_F(SessionEvents, APageOfCountSaysMoreOnlyWhenMoreExist) {
  append(5, 10);
  auto first = json::parse(call({{"session", "s"}, {"limit", 3}})).as_object().at("result").as_object();
  EXPECT_EQ(first.at("events").as_array().size(), 3u);
  EXPECT_TRUE(first.at("more").as_bool());
  EXPECT_EQ(first.at("since").as_int64(), 3);
  auto rest = json::parse(call({{"session", "s"}, {"since", 3}, {"limit", 3}})).as_object().at("result").as_object();
  EXPECT_EQ(rest.at("events").as_array().size(), 2u);
  EXPECT_FALSE(rest.at("more").as_bool());
  EXPECT_EQ(rest.at("since").as_int64(), 5);
  auto none = json::parse(call({{"session", "s"}, {"since", 5}})).as_object().at("result").as_object();
  EXPECT_TRUE(none.at("events").as_array().empty());
  EXPECT_FALSE(none.at("more").as_bool());
  EXPECT_EQ(none.at("since").as_int64(), 5);  // where it was asked from
}

TEST_F(SessionEvents, AnEventOverThePageBoundComesAlone) {
  append(1, 10);
  append(1, kEventsPageBytes + 1000);
  append(1, 10);
  auto first = json::parse(call({{"session", "s"}})).as_object().at("result").as_object();
  EXPECT_EQ(first.at("events").as_array().size(), 1u);
  EXPECT_TRUE(first.at("more").as_bool());
  auto big = json::parse(call({{"session", "s"}, {"since", 1}})).as_object().at("result").as_object();
  ASSERT_EQ(big.at("events").as_array().size(), 1u);
  EXPECT_EQ(big.at("since").as_int64(), 2);
  EXPECT_TRUE(big.at("more").as_bool());
}

TEST_F(SessionEvents, AnEventNoTransportCarriesIsAnErrorNamingIt) {
  append(1, kMaxEventReplyBytes + 1000);
  append(1, 10);
  const auto reply = json::parse(call({{"session", "s"}})).as_object();
  ASSERT_TRUE(reply.contains("error"));
  const auto& error = reply.at("error").as_object();
  EXPECT_EQ(error.at("data").as_object().at("code").as_string(), "too_large");
  EXPECT_NE(std::string(error.at("message").as_string()).find("event 1"), std::string::npos);
  auto after = json::parse(call({{"session", "s"}, {"since", 1}})).as_object().at("result").as_object();
  EXPECT_EQ(after.at("events").as_array().size(), 1u);  // the log goes on past it
}

}  // namespace
}  // namespace tether::daemon
