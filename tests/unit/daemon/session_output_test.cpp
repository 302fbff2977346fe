// SessionManager's agent output: events queued in one loop turn are committed together
// (one transaction) and streamed only after that commit, in order; any other event
// commits the queued output first, so the log keeps the order things happened in. Events
// a full store cannot take are counted, shown as storing_failed, and told by an
// output_lost event once storing works again.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "daemon/session_manager.hpp"
#include "daemon/live_connections.hpp"
#include "recording_connection.hpp"
#include "store/store.hpp"
#include "unit/temp_dir.hpp"

namespace tether::daemon {
namespace {

namespace json = boost::json;

class SessionOutputTest : public tether::testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    store_ = std::move(store::Store::open(dir_ / "t.db")).value();
    subs_ = std::make_unique<LiveConnections>(runtime_, store_->events());
    subs_->join(1, "", outlet_);
    sessions_ = std::make_unique<SessionManager>(runtime_, *store_, *subs_, SessionsConfig{},
                                                 [] { return std::chrono::system_clock::now(); });
    ASSERT_TRUE(subs_->subscribe(1, "s", 0));
    run();
    outlet_->lines.clear();
  }
  void run() {
    runtime_.run();
    runtime_.restart();
  }
  std::int64_t committed() { return *store_->events().last_seq("s"); }
  net::Runtime runtime_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<RecordingConnection> outlet_ = std::make_shared<RecordingConnection>();
  std::unique_ptr<LiveConnections> subs_;
  std::unique_ptr<SessionManager> sessions_;
};

TEST_F(SessionOutputTest, OutputOfOneLoopTurnIsCommittedTogetherAndStreamedAfterTheCommit) {
  sessions_->emit_output("s", "assistant_delta", json::object{{"text", "a"}});
  sessions_->emit_output("s", "assistant_delta", json::object{{"text", "b"}});
  sessions_->emit_output("s", "tool_use", json::object{{"id", "t1"}});
  EXPECT_EQ(committed(), 0);  // queued: neither committed nor streamed yet
  EXPECT_TRUE(outlet_->kinds().empty());
  run();
  EXPECT_EQ(committed(), 3);
  EXPECT_EQ(outlet_->kinds(), (std::vector<std::string>{"assistant_delta", "assistant_delta", "tool_use"}));
  auto events = store_->events().read("s", 0, 10);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].data, R"({"text":"a"})");
  EXPECT_EQ((*events)[2].seq, 3);
}

TEST_F(SessionOutputTest, AnyOtherEventCommitsTheQueuedOutputFirst) {
  sessions_->emit_output("s", "assistant_delta", json::object{{"text", "a"}});
  sessions_->emit("s", "status", json::object{{"status", "idle"}});
  EXPECT_EQ(committed(), 2);
  auto events = store_->events().read("s", 0, 10);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].kind, "assistant_delta");
  EXPECT_EQ((*events)[1].kind, "status");
  run();  // the posted flush finds nothing left
  EXPECT_EQ(outlet_->kinds(), (std::vector<std::string>{"assistant_delta", "status"}));
  EXPECT_EQ(committed(), 2);
}

TEST_F(SessionOutputTest, QueuedOutputIsCommittedWhenTheManagerGoes) {
  sessions_->emit_output("s", "assistant_delta", json::object{{"text", "last words"}});
  sessions_.reset();
  EXPECT_EQ(committed(), 1);
  run();  // the posted flush must not touch the destroyed manager
}

// SQLite's own "database or disk is full" (SQLITE_FULL), for real: this connection may not
// grow the database beyond the pages it has.
void fill(store::Store& store) {
  const auto pages = store.db().query_int("PRAGMA page_count");
  ASSERT_TRUE(pages);
  ASSERT_TRUE(store.db().exec(fmt::format("PRAGMA max_page_count = {}", *pages)));
}
void make_room(store::Store& store) { ASSERT_TRUE(store.db().exec("PRAGMA max_page_count = 1073741823")); }

bool storing_failed(const core::Result<json::object>& session) { return session->at("storing_failed").as_bool(); }

TEST_F(SessionOutputTest, OutputAFullStoreCannotTakeIsToldByAnOutputLostEventWhenStoringWorksAgain) {
  const auto t = std::chrono::system_clock::now();
  ASSERT_TRUE(store_->sessions().create(store::SessionRow{"s", "", core::ProviderType::terminal, "/", core::SessionMode::ask,
                                                          core::SessionStatus::running, "", "{}", t, t}));
  sessions_->emit_output("s", "terminal_output", json::object{{"data", "before"}});
  run();
  ASSERT_EQ(committed(), 1);
  EXPECT_FALSE(storing_failed(sessions_->get("s")));

  fill(*store_);
  std::int64_t bytes = 0;
  for (int i = 0; i < 3; ++i) {
    const json::object data{{"data", std::string(20000 + i, 'x')}};
    bytes += static_cast<std::int64_t>(json::serialize(data).size());
    sessions_->emit_output("s", "terminal_output", data);
  }
  sessions_->flush_output();  // not run(): the loop would wait for the retry to succeed
  const json::object last{{"data", std::string(20000, 'z')}};
  bytes += static_cast<std::int64_t>(json::serialize(last).size());
  sessions_->emit("s", "terminal_output", last);  // a commit of its own, lost too
  EXPECT_EQ(committed(), 1);
  EXPECT_EQ(outlet_->kinds(), (std::vector<std::string>{"terminal_output"}));  // nothing streamed that is not stored
  EXPECT_TRUE(storing_failed(sessions_->get("s")));
  auto listed = sessions_->list(10);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE(listed->at(0).as_object().at("storing_failed").as_bool());

  make_room(*store_);
  run();  // the retry, after its backoff, with nothing else queued
  ASSERT_EQ(committed(), 2);
  auto events = store_->events().read("s", 1, 10);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].kind, "output_lost");
  const auto lost = json::parse((*events)[0].data).as_object();
  EXPECT_EQ(lost.at("events").as_int64(), 4);
  EXPECT_EQ(lost.at("bytes").as_int64(), bytes);
  EXPECT_LE(lost.at("from").as_int64(), lost.at("to").as_int64());
  EXPECT_GE(lost.at("from").as_int64(), store::to_unix_ms(t));
  EXPECT_NE(std::string(lost.at("reason").as_string()).find("full"), std::string::npos) << lost.at("reason");
  EXPECT_FALSE(storing_failed(sessions_->get("s")));
  EXPECT_EQ(outlet_->kinds(), (std::vector<std::string>{"terminal_output", "output_lost"}));

  // Storing goes on as before: the next output takes the next seq, and no second loss is told.
  sessions_->emit_output("s", "terminal_output", json::object{{"data", std::string(20000, 'y')}});
  run();
  EXPECT_EQ(committed(), 3);
  EXPECT_EQ(outlet_->kinds(), (std::vector<std::string>{"terminal_output", "output_lost", "terminal_output"}));
}

TEST_F(SessionOutputTest, TheOutputLostEventComesAheadOfTheOutputWhoseCommitWorksFirst) {
  fill(*store_);
  sessions_->emit_output("s", "terminal_output", json::object{{"data", std::string(30000, 'x')}});
  sessions_->flush_output();
  EXPECT_EQ(committed(), 0);
  make_room(*store_);
  sessions_->emit("s", "status", json::object{{"status", "idle"}});  // before any retry
  EXPECT_EQ(committed(), 2);
  auto events = store_->events().read("s", 0, 10);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].kind, "output_lost");
  EXPECT_EQ(json::parse((*events)[0].data).at("events").as_int64(), 1);
  EXPECT_EQ((*events)[1].kind, "status");
  run();  // the armed retry finds nothing left to tell
  EXPECT_EQ(committed(), 2);
}

}  // namespace
}  // namespace tether::daemon
