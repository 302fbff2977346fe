#include "daemon/pairing.hpp"

#include <gtest/gtest.h>

#include "crypto/identity.hpp"
#include "unit/temp_dir.hpp"

namespace tether::daemon {
namespace {

using namespace std::chrono_literals;

class PairingTest : public tether::testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    ASSERT_TRUE(crypto::init());
    store_ = std::move(store::Store::open(dir_ / "t.db")).value();
    service_ = std::make_unique<PairingService>(*store_, policy_);
  }
  static crypto::Key32 key(std::uint8_t fill) {
    crypto::Key32 k{};
    k.fill(fill);
    return k;
  }
  std::vector<std::string> audit_actions() {
    std::vector<std::string> out;
    auto entries = store_->audit().list(std::nullopt, std::nullopt, 1000);
    for (const auto& e : *entries) out.push_back(e.action);
    return out;
  }
  std::size_t count(std::string_view action) {
    auto a = audit_actions();
    return static_cast<std::size_t>(std::count(a.begin(), a.end(), action));
  }

  PairingPolicy policy_{.burn_after = 3, .global_failures = 6, .window = 60s, .cooling_off = 30s, .max_ttl = 3600s};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<PairingService> service_;
  TimePoint now_ = store::from_unix_ms(1'700'000'000'000);
};

TEST_F(PairingTest, RedeemRegistersTheDeviceOnce) {
  auto offer = service_->create("phone", "read_only", 300s, now_);
  ASSERT_TRUE(offer);
  EXPECT_EQ(offer->secret.size(), 43u);
  auto r = service_->redeem(offer->secret, key(1), "my phone", now_ + 1s, "test");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->device.mode, "read_only");
  EXPECT_EQ(r->device.name, "phone");  // the owner's name for the offer
  EXPECT_EQ(r->device.id, device_id_for_key(key(1)));
  EXPECT_EQ(r->device.id.front(), 'd');  // never "-": a command line would take it for an option
  auto stored = store_->devices().find_by_key(r->device.public_key);
  ASSERT_TRUE(stored && *stored);
  // the same offer again, even with another key, is refused
  auto again = service_->redeem(offer->secret, key(2), "", now_ + 2s, "test");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::bad_secret);
  EXPECT_EQ(store_->devices().list()->size(), 1u);
  EXPECT_EQ(count("pair"), 1u);
  EXPECT_EQ(count("pair_failed"), 1u);
  auto status = service_->status(offer->id, now_);
  EXPECT_EQ(status->state, core::PairingState::confirming);  // until both ends confirm the SAS
  EXPECT_EQ(status->device_id, r->device.id);
}

TEST_F(PairingTest, ANameWithControlsIsRefusedAndALongOneIsCutOnACharacter) {
  // The owner's name for the offer.
  for (std::string_view bad : {"esc\x1b[31mRED\x1b[0m\x07", "phone\u202Eevil", "two\nlines", "bad\xff"}) {
    auto refused = service_->create(bad, "full", 300s, now_);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, core::Errc::invalid_params);
  }
  // The device's own name at pairing: refused, and the offer stays usable.
  auto offer = service_->create("", "full", 300s, now_);
  ASSERT_TRUE(offer);
  auto refused = service_->redeem(offer->secret, key(1), "esc\x1b]0;title\x07", now_ + 1s, "test");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::invalid_params);
  EXPECT_TRUE(store_->devices().list()->empty());
  // 63 ASCII bytes then "é" (2 bytes): 64 bytes would split it, so the name keeps 63.
  const std::string long_name = std::string(63, 'n') + "\u00e9tait";
  auto r = service_->redeem(offer->secret, key(1), long_name, now_ + 2s, "test");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->device.name, std::string(63, 'n'));
}

TEST_F(PairingTest, OnlyTheHashOfTheSecretIsStored) {
  auto offer = service_->create("", "full", 300s, now_);
  auto stored = store_->pairings().get(offer->id);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->secret_hash.find(offer->secret), std::string::npos);
  EXPECT_EQ((*stored)->secret_hash.size(), 64u);
}

TEST_F(PairingTest, ExpiredOfferIsRefused) {
  auto offer = service_->create("", "full", 60s, now_);
  auto r = service_->redeem(offer->secret, key(1), "", now_ + 61s, "test");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::Errc::bad_secret);
  EXPECT_TRUE(store_->devices().list()->empty());
  EXPECT_EQ(service_->status(offer->id, now_ + 61s)->state, core::PairingState::expired);
}

TEST_F(PairingTest, WrongAndMalformedSecretsAreRefusedAndAudited) {
  auto offer = service_->create("", "full", 300s, now_);
  for (std::string_view bad : {"", "short", "!!!!", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
    auto r = service_->redeem(bad, key(1), "", now_, "test");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::bad_secret);
  }
  EXPECT_TRUE(store_->devices().list()->empty());
  EXPECT_EQ(count("pair_failed"), 4u);
}

TEST_F(PairingTest, WrongGuessesBurnAnOpenOffer) {
  auto offer = service_->create("", "full", 300s, now_);
  const std::string wrong(43, 'A');
  for (int i = 0; i < 3; ++i) ASSERT_FALSE(service_->redeem(wrong, key(1), "", now_ + 1s, "test"));
  auto r = service_->redeem(offer->secret, key(1), "", now_ + 2s, "test");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::Errc::bad_secret);
  EXPECT_TRUE(store_->devices().list()->empty());
}

TEST_F(PairingTest, AFloodCoolsOffPairingEvenForTheRightSecret) {
  const std::string wrong(43, 'A');
  for (int i = 0; i < 6; ++i) ASSERT_FALSE(service_->redeem(wrong, key(1), "", now_, "test"));
  auto offer = service_->create("", "full", 300s, now_ + 1s);  // created after the flood: not burned
  auto r = service_->redeem(offer->secret, key(1), "", now_ + 2s, "test");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::Errc::cooling_off);
  EXPECT_TRUE(store_->devices().list()->empty());
  // after the cooling-off period the right secret works
  auto later = service_->redeem(offer->secret, key(1), "", now_ + 31s, "test");
  ASSERT_TRUE(later) << later.error().message;
}

TEST_F(PairingTest, ARevokedKeyCannotPairAgain) {
  auto first = service_->create("", "full", 300s, now_);
  auto r = service_->redeem(first->secret, key(1), "", now_, "test");
  ASSERT_TRUE(r);
  ASSERT_TRUE(store_->devices().revoke(r->device.id, now_));
  auto second = service_->create("", "full", 300s, now_);
  auto again = service_->redeem(second->secret, key(1), "", now_, "test");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::key_in_use);
}

TEST_F(PairingTest, TheOwnersNameForTheOfferWinsOverTheDevicesOwn) {
  auto named = service_->create("kitchen tablet", "full", 300s, now_);
  auto r = service_->redeem(named->secret, key(1), "iPad", now_, "test");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->device.name, "kitchen tablet");
  auto unnamed = service_->create("", "full", 300s, now_);
  auto r2 = service_->redeem(unnamed->secret, key(2), "iPad", now_, "test");
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->device.name, "iPad");
}

TEST_F(PairingTest, ADevicePairsPendingAndIsConfirmedOnlyByBothEnds) {
  auto offer = service_->create("", "full", 300s, now_);
  auto r = service_->redeem(offer->secret, key(1), "phone", now_, "test");
  ASSERT_TRUE(r);
  EXPECT_TRUE((*store_->devices().get(r->device.id))->pending());
  EXPECT_EQ(service_->status(offer->id, now_)->state, core::PairingState::confirming);
  service_->handshake_finished(offer->id, "123456", 77, now_);
  EXPECT_EQ(service_->status(offer->id, now_)->sas, "123456");
  // Only the connection that did the handshake answers for the device.
  EXPECT_EQ(service_->confirm_by_device(r->device.id, 78, true, now_).error().code, core::Errc::not_found);
  EXPECT_EQ(service_->confirm_by_owner("nope", true, now_).error().code, core::Errc::not_found);
  EXPECT_EQ(service_->confirm_by_owner(offer->id, true, now_)->state, core::PairingState::confirming);
  EXPECT_TRUE(service_->status(offer->id, now_)->owner_confirmed);
  EXPECT_EQ(service_->confirm_by_device(r->device.id, 77, true, now_)->state, core::PairingState::paired);
  EXPECT_FALSE((*store_->devices().get(r->device.id))->pending());
  EXPECT_EQ(service_->status(offer->id, now_)->state, core::PairingState::paired);
  // A settled pairing cannot be turned around afterwards.
  EXPECT_EQ(service_->confirm_by_owner(offer->id, false, now_).error().code, core::Errc::wrong_state);
  EXPECT_EQ(count("pair_confirmed"), 1u);
}

TEST_F(PairingTest, NoAnswerInTimeDeclinesAndRevokes) {
  auto offer = service_->create("", "full", 300s, now_);
  auto r = service_->redeem(offer->secret, key(1), "phone", now_, "test");
  service_->handshake_finished(offer->id, "123456", 77, now_);
  ASSERT_TRUE(service_->confirm_by_device(r->device.id, 77, true, now_));
  EXPECT_TRUE(service_->expire(now_ + policy_.confirm_within - 1s).empty());
  auto expired = service_->expire(now_ + policy_.confirm_within);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].device_id, r->device.id);
  EXPECT_EQ(expired[0].state, core::PairingState::declined);
  EXPECT_TRUE((*store_->devices().get(r->device.id))->revoked);
  EXPECT_EQ(service_->status(offer->id, now_)->declined_by, "timeout");
  EXPECT_EQ(count("pair_declined"), 1u);
}

TEST_F(PairingTest, DevicesLeftPendingByAnEarlierRunAreRevokedAtStart) {
  auto offer = service_->create("", "full", 300s, now_);
  auto r = service_->redeem(offer->secret, key(1), "phone", now_, "test");
  auto other = service_->create("", "full", 300s, now_);
  auto done = service_->redeem(other->secret, key(2), "tablet", now_, "test");
  service_->handshake_finished(other->id, "654321", 5, now_);
  ASSERT_TRUE(service_->confirm_by_owner(other->id, true, now_));
  ASSERT_TRUE(service_->confirm_by_device(done->device.id, 5, true, now_));
  PairingService restarted(*store_, policy_);
  EXPECT_EQ(*restarted.revoke_leftovers(now_ + 1s), 1u);
  EXPECT_TRUE((*store_->devices().get(r->device.id))->revoked);
  EXPECT_FALSE((*store_->devices().get(done->device.id))->revoked);
  EXPECT_EQ(restarted.status(offer->id, now_ + 1s)->state, core::PairingState::declined);
  EXPECT_EQ(restarted.status(other->id, now_ + 1s)->state, core::PairingState::paired);
}

TEST_F(PairingTest, CreateChecksModeAndTtl) {
  EXPECT_EQ(service_->create("", "admin", 300s, now_).error().code, core::Errc::invalid_params);
  EXPECT_EQ(service_->create("", "full", 0s, now_).error().code, core::Errc::invalid_params);
  EXPECT_EQ(service_->create("", "full", 3601s, now_).error().code, core::Errc::invalid_params);
}

}  // namespace
}  // namespace tether::daemon
