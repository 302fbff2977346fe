// SessionManager's agent output: events queued in one loop turn are committed together
// (one transaction) and streamed only after that commit, in order; any other event
// commits the queued output first, so the log keeps the order things happened in.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

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

}  // namespace
}  // namespace tether::daemon
