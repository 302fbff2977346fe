#include "core/files.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/temp_dir.hpp"

#include <string_view>

namespace tether::core {
namespace {

namespace fs = std::filesystem;

class FilesTest : public tether::testing::TempDirTest {
 protected:
  static unsigned mode_of(const fs::path& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_mode & 0777;
  }
};

std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST_F(FilesTest, AtomicWriteCreatesFileWithModeAndReplacesOld) {
  const auto p = dir_ / "key";
  ASSERT_TRUE(atomic_write_file(p, as_bytes("one"), 0600));
  EXPECT_EQ(mode_of(p), 0600u);
  EXPECT_EQ(*read_file(p, 100), "one");
  ASSERT_TRUE(atomic_write_file(p, as_bytes("two"), 0600));
  EXPECT_EQ(*read_file(p, 100), "two");
  // no temp files left behind
  int entries = 0;
  for ([[maybe_unused]] auto& e : fs::directory_iterator(dir_)) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST_F(FilesTest, ReadFileRefusesOversizedFile) {
  const auto p = dir_ / "big";
  ASSERT_TRUE(atomic_write_file(p, as_bytes(std::string(200, 'x')), 0600));
  EXPECT_EQ(read_file(p, 100).error().code, core::Errc::too_large);
}

TEST_F(FilesTest, CheckPrivateNamesPathAndChmod) {
  ::chmod(dir_.c_str(), 0755);
  auto r = check_private(dir_, true);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find(dir_.string()), std::string::npos);
  EXPECT_NE(r.error().message.find("chmod 700"), std::string::npos);
  ::chmod(dir_.c_str(), 0700);
  EXPECT_TRUE(check_private(dir_, true));

  const auto key = dir_ / "k";
  ASSERT_TRUE(atomic_write_file(key, as_bytes("k"), 0644));
  auto rk = check_private(key, false);
  ASSERT_FALSE(rk);
  EXPECT_NE(rk.error().message.find("chmod 600"), std::string::npos);
  EXPECT_NE(rk.error().message.find("0644"), std::string::npos);
}

TEST_F(FilesTest, MakePrivateCorrectsALooserFileAndLeavesAPrivateOrMissingOne) {
  const auto db = dir_ / "db";
  auto missing = make_private(db);
  ASSERT_TRUE(missing) << missing.error().message;
  EXPECT_FALSE(*missing);
  ASSERT_TRUE(atomic_write_file(db, as_bytes("x"), 0644));
  auto corrected = make_private(db);
  ASSERT_TRUE(corrected) << corrected.error().message;
  EXPECT_EQ(*corrected, std::optional<unsigned>(0644));
  EXPECT_EQ(mode_of(db), 0600u);
  auto again = make_private(db);
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  EXPECT_EQ(make_private(dir_).error().code, Errc::not_private);  // a directory is not the file
}

TEST_F(FilesTest, MakePrivateRefusesAFileOfAnotherUser) {
  // Root gives a file of its own to nobody; anyone else finds one of root's.
  fs::path theirs = "/etc/passwd";
  if (::geteuid() == 0) {
    theirs = dir_ / "theirs";
    ASSERT_TRUE(atomic_write_file(theirs, as_bytes("x"), 0644));
    ASSERT_EQ(::chown(theirs.c_str(), 65534, 65534), 0);
  }
  auto r = make_private(theirs);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::not_private);
  EXPECT_NE(r.error().message.find("chown"), std::string::npos) << r.error().message;
  if (::geteuid() == 0) EXPECT_EQ(mode_of(theirs), 0644u);  // refused, not changed
}

TEST_F(FilesTest, CreatePrivateFileIs0600WhateverTheUmaskAndKeepsWhatExists) {
  const mode_t old = ::umask(022);
  const auto p = dir_ / "f";
  ASSERT_TRUE(create_private_file(p));
  EXPECT_EQ(mode_of(p), 0600u);
  ASSERT_TRUE(atomic_write_file(p, as_bytes("kept"), 0600));
  ASSERT_TRUE(create_private_file(p));
  EXPECT_EQ(*read_file(p, 100), "kept");
  ::umask(old);
}

TEST_F(FilesTest, EnsurePrivateDirCreates0700) {
  const auto home = dir_ / "a" / "home";
  ASSERT_TRUE(ensure_private_dir(home));
  EXPECT_EQ(mode_of(home), 0700u);
}

}  // namespace
}  // namespace tether::core
