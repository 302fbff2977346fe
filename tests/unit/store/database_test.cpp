// The connection's statement cache: a statement given back is reset with no bindings,
// and the same SQL asked for while one is out gets a statement of its own.
#include "store/database.hpp"

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace tether::store {
namespace {

class DatabaseTest : public TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    auto db = Database::open(db_path());
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::make_unique<Database>(std::move(db).value());
    ASSERT_TRUE(db_->exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3)"));
  }
  std::unique_ptr<Database> db_;
};

constexpr const char* kRows = "SELECT x FROM t WHERE x >= ?1 ORDER BY x";

TEST_F(DatabaseTest, AStatementGivenBackStartsAgainWithoutBindings) {
  {
    auto st = db_->prepare(kRows);
    ASSERT_TRUE(st);
    st->bind(1, std::int64_t{2});
    ASSERT_TRUE(*st->step());
    EXPECT_EQ(st->column_int(0), 2);
  }  // given back mid-iteration
  auto again = db_->prepare(kRows);
  ASSERT_TRUE(again);
  // No binding: x >= NULL matches nothing, so the old ?1 = 2 is gone.
  EXPECT_FALSE(*again->step());
}

TEST_F(DatabaseTest, TheSameSqlTwiceAtOnceGivesTwoStatements) {
  auto outer = db_->prepare(kRows);
  ASSERT_TRUE(outer);
  outer->bind(1, std::int64_t{1});
  std::vector<std::int64_t> pairs;
  while (*outer->step()) {
    auto inner = db_->prepare(kRows);  // while outer is out
    ASSERT_TRUE(inner);
    inner->bind(1, outer->column_int(0));
    while (*inner->step()) pairs.push_back(outer->column_int(0) * 10 + inner->column_int(0));
  }
  EXPECT_EQ(pairs, (std::vector<std::int64_t>{11, 12, 13, 22, 23, 33}));
}

TEST_F(DatabaseTest, StatementsSurviveMovingTheDatabase) {
  { auto warm = db_->prepare(kRows); }
  Database moved = std::move(*db_);
  auto st = moved.prepare(kRows);
  ASSERT_TRUE(st);
  st->bind(1, std::int64_t{3});
  ASSERT_TRUE(*st->step());
  EXPECT_EQ(st->column_int(0), 3);
}

}  // namespace
}  // namespace tether::store
