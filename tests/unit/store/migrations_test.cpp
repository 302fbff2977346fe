#include "store/migrations.hpp"

#include <gtest/gtest.h>

#include "store/store.hpp"
#include "store_fixture.hpp"

namespace tether::store {
namespace {

using MigrationsTest = TempDirTest;

const char* kTables[] = {"devices", "pairings", "sessions", "events", "event_seqs", "approvals", "rules", "audit"};

bool has_table(Database& db, std::string_view name) {
  auto st = db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1");
  st->bind(1, name);
  EXPECT_TRUE(*st->step());
  return st->column_int(0) == 1;
}

TEST_F(MigrationsTest, FromAnEmptyFileToLatest) {
  auto store = Store::open(db_path());
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->db().user_version(), latest_schema_version());
  for (const char* t : kTables) EXPECT_TRUE(has_table((*store)->db(), t)) << t;
}

TEST_F(MigrationsTest, WalAndFullSyncAreOn) {
  auto store = Store::open(db_path());
  ASSERT_TRUE(store);
  auto st = (*store)->db().prepare("PRAGMA journal_mode");
  ASSERT_TRUE(*st->step());
  EXPECT_EQ(st->column_text(0), "wal");
  EXPECT_EQ(*(*store)->db().query_int("PRAGMA synchronous"), 2);  // FULL
}

TEST_F(MigrationsTest, FromEachEarlierVersionKeepingData) {
  for (int from = 0; from <= latest_schema_version(); ++from) {
    std::filesystem::remove(db_path());
    {
      auto db = Database::open(db_path());
      ASSERT_TRUE(db);
      ASSERT_TRUE(migrate(*db, from));
      ASSERT_EQ(db->user_version(), from);
      if (from >= 1) {
        ASSERT_TRUE(db->exec("INSERT INTO events (session_id, seq, time, kind, data) VALUES ('s', 1, 0, 'k', '{}')"));
        ASSERT_TRUE(db->exec("INSERT INTO event_seqs (session_id, last_seq) VALUES ('s', 1)"));
      }
    }
    auto store = Store::open(db_path());
    ASSERT_TRUE(store) << "from version " << from << ": " << store.error().message;
    EXPECT_EQ((*store)->db().user_version(), latest_schema_version());
    if (from >= 1) {
      auto events = (*store)->events().read("s", 0, 10);
      ASSERT_TRUE(events);
      EXPECT_EQ(events->size(), 1u) << "from version " << from;
      // Migration 3 counts the rows there; after it only the event store moves the count.
      if (from < 3) EXPECT_EQ((*store)->counts()->events, 1) << "from version " << from;
    }
  }
}

TEST_F(MigrationsTest, ReopeningIsANoOp) {
  ASSERT_TRUE(Store::open(db_path()));
  auto again = Store::open(db_path());
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)->db().user_version(), latest_schema_version());
}

TEST_F(MigrationsTest, ANewerDatabaseIsRefused) {
  {
    auto db = Database::open(db_path());
    ASSERT_TRUE(db->set_user_version(latest_schema_version() + 1));
  }
  auto store = Store::open(db_path());
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, core::Errc::schema_too_new);
}

TEST_F(MigrationsTest, AFileThatIsNotADatabaseIsAnError) {
  {
    std::FILE* f = std::fopen(db_path().c_str(), "w");
    std::fputs("this is not an sqlite database, not even a little bit, and it is long enough", f);
    std::fclose(f);
  }
  auto store = Store::open(db_path());
  EXPECT_FALSE(store);
}

}  // namespace
}  // namespace tether::store
