// The daemon's identities on disk during a key rotation: under way, past its deadline,
// left unfinished by a rotation that stopped early, and files that disagree.
#include "daemon/identity_file.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/files.hpp"
#include "unit/temp_dir.hpp"

namespace tether::daemon {
namespace {

using namespace std::chrono_literals;

class IdentityFileTest : public tether::testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    ASSERT_TRUE(crypto::init());
    home_.dir = dir_;
  }
  bool exists(const std::filesystem::path& p) { return std::filesystem::exists(p); }

  core::HomePaths home_;
  std::chrono::system_clock::time_point now_ = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'700'000'000'000));
};

TEST_F(IdentityFileTest, ARotationKeepsBothKeysUntilItsDeadlineThenRetiresTheOldOne) {
  auto first = load_identities(home_, now_);
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->rotation);
  auto rotation = rotate_identity(home_, 24h, now_);
  ASSERT_TRUE(rotation) << rotation.error().message;
  EXPECT_EQ(rotation->old_id, first->current.id());

  auto during = load_identities(home_, now_ + 1h);
  ASSERT_TRUE(during) << during.error().message;
  EXPECT_EQ(during->current.id(), rotation->new_id);
  ASSERT_TRUE(during->previous);
  EXPECT_EQ(during->previous->id(), first->current.id());
  ASSERT_TRUE(during->rotation);
  EXPECT_TRUE(during->rotation->verify());
  // A second rotation waits for the first one to end.
  EXPECT_EQ(rotate_identity(home_, 24h, now_ + 1h).error().code, core::Errc::exists);

  auto after = load_identities(home_, now_ + 25h);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->current.id(), rotation->new_id);
  EXPECT_FALSE(after->previous);
  ASSERT_TRUE(after->retired);
  EXPECT_EQ(after->retired->old_id, first->current.id());
  EXPECT_FALSE(exists(home_.previous_daemon_key()));
  EXPECT_FALSE(exists(home_.key_rotation()));
}

TEST_F(IdentityFileTest, ARotationThatStoppedBeforeReplacingTheKeyIsDropped) {
  auto first = load_identities(home_, now_);
  ASSERT_TRUE(first);
  const auto next = crypto::Identity::generate();
  const std::string text = crypto::encode_rotation_file(crypto::sign_rotation(first->current, next, 1'800'000'000'000));
  ASSERT_TRUE(core::atomic_write_file(home_.key_rotation(), {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, 0600));
  const std::string prev = first->current.encode_file();
  ASSERT_TRUE(core::atomic_write_file(home_.previous_daemon_key(), {reinterpret_cast<const std::uint8_t*>(prev.data()), prev.size()}, 0600));
  auto loaded = load_identities(home_, now_);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->current.id(), first->current.id());
  EXPECT_FALSE(loaded->rotation);
  EXPECT_FALSE(exists(home_.key_rotation()));
}

TEST_F(IdentityFileTest, FilesThatDisagreeAreCorruptAndLeftInPlace) {
  ASSERT_TRUE(load_identities(home_, now_));
  ASSERT_TRUE(rotate_identity(home_, 24h, now_));
  // Another key in daemon.previous.key than the one that signed the rotation.
  const std::string other = crypto::Identity::generate().encode_file();
  ASSERT_TRUE(core::atomic_write_file(home_.previous_daemon_key(), {reinterpret_cast<const std::uint8_t*>(other.data()), other.size()}, 0600));
  auto loaded = load_identities(home_, now_);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, core::Errc::corrupt_key);
  EXPECT_TRUE(exists(home_.key_rotation()));
  // daemon.previous.key alone, with no statement.
  std::filesystem::remove(home_.key_rotation());
  EXPECT_EQ(load_identities(home_, now_).error().code, core::Errc::corrupt_key);
}

TEST_F(IdentityFileTest, ALooseRotationFileIsRefused) {
  ASSERT_TRUE(load_identities(home_, now_));
  ASSERT_TRUE(rotate_identity(home_, 24h, now_));
  std::filesystem::permissions(home_.key_rotation(), std::filesystem::perms::others_read, std::filesystem::perm_options::add);
  EXPECT_EQ(load_identities(home_, now_).error().code, core::Errc::not_private);
}

}  // namespace
}  // namespace tether::daemon
