#include "link/wire.hpp"

#include <gtest/gtest.h>

#include "core/encoding.hpp"
#include "crypto/identity.hpp"
#include "link/link_auth.hpp"

namespace tether::link {
namespace {

TEST(Wire, EncodesAndParsesEveryMessage) {
  const LinkMessage messages[] = {Challenge{"bm9uY2U"}, Hello{"id", "sig"}, Linked{}, Accept{"tok"}};
  for (const auto& m : messages) {
    auto parsed = parse_link_message(encode(m));
    ASSERT_TRUE(parsed) << encode(m);
    EXPECT_EQ(parsed->index(), m.index());
    EXPECT_EQ(encode(*parsed), encode(m));
  }
  EXPECT_EQ(encode(Linked{}), R"({"type":"linked"})");
  EXPECT_EQ(encode(Accept{"abc"}), R"({"type":"accept","token":"abc"})");
}

TEST(Wire, RefusesMalformedMessages) {
  for (const char* text : {"", "null", "[]", "{}", R"({"type":1})", R"({"type":"nope"})",
                           R"({"type":"hello","daemon_id":"a"})", R"({"type":"hello","daemon_id":"a","signature":2})",
                           R"({"type":"hello","daemon_id":"a","signature":"b","extra":"c"})",
                           R"({"type":"linked","x":1})", R"({"type":"accept","token":"a")",
                           R"({"type":"challenge","nonce":{"a":{"b":{"c":{}}}}})"}) {
    auto r = parse_link_message(text);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, core::Errc::bad_message);
  }
  EXPECT_FALSE(parse_link_message(std::string(kMaxLinkMessageBytes + 1, ' ')));
}

TEST(Wire, SignedBytesAreContextZeroNonce) {
  const core::Bytes nonce{1, 2, 3};
  const auto b = link_signed_bytes(nonce);
  const std::string expected = std::string("tether-relay-link/1") + '\0' + "\x01\x02\x03";
  EXPECT_EQ(std::string(b.begin(), b.end()), expected);
}

class LinkAuth : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(crypto::init()); }
};

TEST_F(LinkAuth, AcceptsTheRightSignatureAndNamesTheDaemon) {
  const auto id = crypto::Identity::generate();
  const core::Bytes nonce(kNonceSize, 7);
  auto r = verify_hello(make_hello(id, nonce), nonce);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, id.id());
}

TEST_F(LinkAuth, RefusesAnotherChallengeAKeyMismatchAndGarbage) {
  const auto id = crypto::Identity::generate();
  const auto other = crypto::Identity::generate();
  const core::Bytes nonce(kNonceSize, 7);
  const core::Bytes other_nonce(kNonceSize, 8);
  // a signature over another challenge (a replayed answer)
  EXPECT_EQ(verify_hello(make_hello(id, other_nonce), nonce).error().code, core::Errc::bad_signature);
  // someone else's signature under this id
  Hello forged = make_hello(other, nonce);
  forged.daemon_id = id.id();
  EXPECT_EQ(verify_hello(forged, nonce).error().code, core::Errc::bad_signature);
  // a flipped bit
  Hello h = make_hello(id, nonce);
  auto sig = core::base64url_decode(h.signature).value();
  sig[10] ^= 1;
  h.signature = core::base64url_encode(sig);
  EXPECT_EQ(verify_hello(h, nonce).error().code, core::Errc::bad_signature);
  // malformed fields
  EXPECT_EQ(verify_hello(Hello{"short", make_hello(id, nonce).signature}, nonce).error().code, core::Errc::bad_daemon_id);
  EXPECT_EQ(verify_hello(Hello{id.id(), "c2hvcnQ"}, nonce).error().code, core::Errc::bad_signature);
  EXPECT_EQ(verify_hello(Hello{id.id() + "=", make_hello(id, nonce).signature}, nonce).error().code, core::Errc::bad_daemon_id);
}

}  // namespace
}  // namespace tether::link
