// The store's files — the database and the -wal and -shm SQLite keeps beside it — are 0600
// whatever the umask, as the key is: new ones are created so, a looser one is corrected
// when the store opens, one owned by another user is refused.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.hpp"
#include "store_fixture.hpp"

namespace tether::store {
namespace {

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

class StoreFilesTest : public TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    old_umask_ = ::umask(022);  // what a library user may run with: files 0644 unless asked otherwise
  }
  void TearDown() override {
    ::umask(old_umask_);
    TempDirTest::TearDown();
  }
  std::filesystem::path beside(const char* suffix) const { return db_path().string() + suffix; }
  mode_t old_umask_ = 0;
};

TEST_F(StoreFilesTest, NewFilesAre0600WhateverTheUmask) {
  auto store = Store::open(db_path());
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_TRUE((*store)->events().append("s", "status", "{}", std::chrono::system_clock::now()));
  for (const char* suffix : {"", "-wal", "-shm"}) EXPECT_EQ(mode_of(beside(suffix)), 0600u) << suffix;
}

TEST_F(StoreFilesTest, ALooserFileIsCorrectedWhenTheStoreOpens) {
  auto first = Store::open(db_path());  // kept open: its -wal and -shm stay
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE((*first)->events().append("s", "status", "{}", std::chrono::system_clock::now()));
  for (const char* suffix : {"", "-wal", "-shm"}) ASSERT_EQ(::chmod(beside(suffix).c_str(), 0644), 0) << suffix;
  auto second = Store::open(db_path());
  ASSERT_TRUE(second) << second.error().message;
  for (const char* suffix : {"", "-wal", "-shm"}) EXPECT_EQ(mode_of(beside(suffix)), 0600u) << suffix;
  EXPECT_EQ(*(*second)->events().last_seq("s"), 1);  // the same data, only the mode changed
}

TEST_F(StoreFilesTest, AFileOfAnotherUserIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "giving a file to another user needs root";
  ASSERT_TRUE(Store::open(db_path()));
  ASSERT_EQ(::chown(db_path().c_str(), 65534, 65534), 0);
  auto refused = Store::open(db_path());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::not_private);
  EXPECT_NE(refused.error().message.find(db_path().string()), std::string::npos) << refused.error().message;
}

}  // namespace
}  // namespace tether::store
