#include "store/rule_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "store/store.hpp"
#include "store_fixture.hpp"

namespace tether::store {
namespace {

using namespace std::chrono_literals;

class RuleStoreTest : public TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    store_ = std::move(Store::open(db_path())).value();
  }
  RuleRow rule(std::string dir, std::string tool = "Bash", std::string pattern = "prefix:git",
               core::ApprovalDecision decision = core::ApprovalDecision::allow) {
    return RuleRow{0, std::move(dir), std::move(tool), std::move(pattern), decision, "dev_phone", now_};
  }
  std::int64_t add(const RuleRow& r) {
    auto id = store_->rules().add(r);
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : -1;
  }
  std::vector<std::string> dirs_for(std::string_view dir) {
    auto rows = store_->rules().for_dir(dir);
    EXPECT_TRUE(rows) << rows.error().message;
    std::vector<std::string> out;
    if (rows) {
      for (const auto& r : *rows) out.push_back(r.project_dir);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  std::unique_ptr<Store> store_;
  TimePoint now_ = from_unix_ms(1'700'000'000'000);
};

using Dirs = std::vector<std::string>;

TEST_F(RuleStoreTest, AddAndList) {
  const auto a = add(rule("/home/u/proj"));
  const auto b = add(rule("/home/u/proj", "Write", "", core::ApprovalDecision::deny));
  EXPECT_GT(a, 0);
  EXPECT_NE(a, b);
  auto all = store_->rules().list();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  const RuleRow& first = all->at(0);
  EXPECT_EQ(first.id, a);
  EXPECT_EQ(first.project_dir, "/home/u/proj");
  EXPECT_EQ(first.tool, "Bash");
  EXPECT_EQ(first.pattern, "prefix:git");
  EXPECT_EQ(first.decision, core::ApprovalDecision::allow);
  EXPECT_EQ(first.created_by, "dev_phone");
  EXPECT_EQ(first.created, now_);
  EXPECT_EQ(all->at(1).id, b);
  EXPECT_EQ(all->at(1).decision, core::ApprovalDecision::deny);
}

TEST_F(RuleStoreTest, AnIdenticalRuleReturnsTheSameId) {
  const auto a = add(rule("/p"));
  auto again = rule("/p");
  again.created_by = "owner";
  again.created = now_ + 1h;
  EXPECT_EQ(add(again), a);
  EXPECT_EQ(add(rule("/p/")), a);  // the same directory, written with a trailing slash
  EXPECT_EQ(store_->rules().list()->size(), 1u);
  // any difference makes a new rule
  EXPECT_NE(add(rule("/p", "Bash", "prefix:git", core::ApprovalDecision::deny)), a);
  EXPECT_NE(add(rule("/p", "Bash", "prefix:npm")), a);
  EXPECT_NE(add(rule("/p", "bash")), a);
  EXPECT_NE(add(rule("/q")), a);
  EXPECT_EQ(store_->rules().list()->size(), 5u);
}

TEST_F(RuleStoreTest, DirectoriesAreStoredNormal) {
  add(rule("/a/b/"));
  add(rule("/x/./y/../z"));
  add(rule("/"));
  auto all = *store_->rules().list();
  EXPECT_EQ(all.at(0).project_dir, "/a/b");
  EXPECT_EQ(all.at(1).project_dir, "/x/z");
  EXPECT_EQ(all.at(2).project_dir, "/");
}

TEST_F(RuleStoreTest, AddRejectsRelativeDirsAndBadDecisions) {
  EXPECT_EQ(store_->rules().add(rule("proj")).error().code, core::Errc::invalid);
  EXPECT_EQ(store_->rules().add(rule("")).error().code, core::Errc::invalid);
  EXPECT_FALSE(store_->db().exec(  // the schema's CHECK
      "INSERT INTO rules (project_dir, tool, pattern, decision, created_at) VALUES ('/p', 'Bash', '', 'maybe', 0)"));
  EXPECT_TRUE(store_->rules().list()->empty());
}

TEST_F(RuleStoreTest, ForDirIsTheDirAndItsParentsOnly) {
  for (const char* d : {"/", "/a", "/a/b", "/a/bc", "/a/b/c", "/a/b/c/d", "/x", "/ab"}) add(rule(d));
  EXPECT_EQ(dirs_for("/a/b/c"), (Dirs{"/", "/a", "/a/b", "/a/b/c"}));
  EXPECT_EQ(dirs_for("/a/b"), (Dirs{"/", "/a", "/a/b"}));
  EXPECT_EQ(dirs_for("/a/bc"), (Dirs{"/", "/a", "/a/bc"}));
  EXPECT_EQ(dirs_for("/a/bcd"), (Dirs{"/", "/a"}));
  EXPECT_EQ(dirs_for("/a/b/cd"), (Dirs{"/", "/a", "/a/b"}));
  EXPECT_EQ(dirs_for("/"), (Dirs{"/"}));
  EXPECT_EQ(dirs_for("/elsewhere"), (Dirs{"/"}));
}

TEST_F(RuleStoreTest, ForDirIgnoresTrailingSlashesAndDotSegments) {
  for (const char* d : {"/a/b", "/a/bc"}) add(rule(d));
  EXPECT_EQ(dirs_for("/a/b/"), (Dirs{"/a/b"}));
  EXPECT_EQ(dirs_for("/a/b//c/"), (Dirs{"/a/b"}));
  EXPECT_EQ(dirs_for("/a/b/../bc"), (Dirs{"/a/bc"}));
  EXPECT_EQ(dirs_for("/a/b/.."), (Dirs{}));
}

TEST_F(RuleStoreTest, ForDirOfARelativePathIsEmpty) {
  add(rule("/"));
  EXPECT_EQ(dirs_for(""), (Dirs{}));
  EXPECT_EQ(dirs_for("a/b"), (Dirs{}));
}

TEST_F(RuleStoreTest, ForDirMatchesCharactersNotLikePatterns) {
  add(rule("/a_b"));
  add(rule("/a%"));
  EXPECT_EQ(dirs_for("/axb/c"), (Dirs{}));
  EXPECT_EQ(dirs_for("/a%/c"), (Dirs{"/a%"}));
  EXPECT_EQ(dirs_for("/a_b"), (Dirs{"/a_b"}));
}

TEST_F(RuleStoreTest, ForDirReturnsWholeRowsOldestFirst) {
  const auto deny = add(rule("/p", "Bash", "prefix:rm", core::ApprovalDecision::deny));
  const auto allow = add(rule("/", "Write", ""));
  auto rows = *store_->rules().for_dir("/p/src");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].id, deny);
  EXPECT_EQ(rows[0].pattern, "prefix:rm");
  EXPECT_EQ(rows[0].decision, core::ApprovalDecision::deny);
  EXPECT_EQ(rows[1].id, allow);
  EXPECT_EQ(rows[1].tool, "Write");
}

TEST_F(RuleStoreTest, RemoveAndNotFound) {
  const auto a = add(rule("/p"));
  const auto b = add(rule("/q"));
  ASSERT_TRUE(store_->rules().remove(a));
  auto all = *store_->rules().list();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].id, b);
  auto again = store_->rules().remove(a);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::not_found);
  EXPECT_EQ(store_->rules().remove(12345).error().code, core::Errc::not_found);
  const auto c = add(rule("/p"));  // re-adding after removal makes a new rule
  EXPECT_GT(c, 0);
  EXPECT_NE(c, b);
  EXPECT_EQ(store_->rules().list()->size(), 2u);
}

}  // namespace
}  // namespace tether::store
