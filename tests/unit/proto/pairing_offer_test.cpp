#include "proto/pairing_offer.hpp"

#include <gtest/gtest.h>

#include <numeric>

#include "core/encoding.hpp"

namespace tether::proto {
namespace {

PairingOffer sample(std::string relay, std::string direct) {
  PairingOffer o;
  std::iota(o.daemon_key.begin(), o.daemon_key.end(), std::uint8_t{1});
  o.secret.assign(16, 0xab);
  o.relay = std::move(relay);
  o.direct = std::move(direct);
  return o;
}

core::Bytes bytes_of(const std::string& encoded) { return core::base64url_decode(encoded).value(); }

std::string text_of(const core::Bytes& raw) { return core::base64url_encode(raw); }

TEST(PairingOffer, ARelayOnTheLinksOwnOriginAndALoopbackListenerTakeFiftyTwoBytes) {
  const auto o = sample("wss://relay.example-tether.net", "http://127.0.0.1:7777");
  const std::string base = "https://relay.example-tether.net";
  const std::string encoded = encode_offer(o, base);
  EXPECT_EQ(bytes_of(encoded).size(), 2u + 32 + 16 + 2);
  EXPECT_EQ(encoded.size(), 70u);
  auto back = read_offer(base + "/#offer=" + encoded);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->daemon_key, o.daemon_key);
  EXPECT_EQ(back->secret, o.secret);
  EXPECT_EQ(back->relay, o.relay);
  EXPECT_EQ(back->direct, o.direct);
  EXPECT_FALSE(back->noise_key) << "version 2 leaves the Noise key to be derived";
}

TEST(PairingOffer, ARelayElsewhereAndAnyOtherListenerTravelInFull) {
  const auto o = sample("wss://relay.example:8443/prefix", "https://laptop.tail1234.ts.net");
  const std::string encoded = encode_offer(o, "https://app.example");
  auto back = read_offer("https://app.example/#offer=" + encoded);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->relay, o.relay);
  EXPECT_EQ(back->direct, o.direct);
  // A bare offer of this kind needs no link.
  auto bare = read_offer(encoded);
  ASSERT_TRUE(bare) << bare.error().message;
  EXPECT_EQ(bare->relay, o.relay);
}

TEST(PairingOffer, ARelayWithAPathPrefixIsTheLinksBaseToo) {
  const auto o = sample("ws://127.0.0.1:40000/relay01", "");
  const std::string encoded = encode_offer(o, "http://127.0.0.1:40000/relay01");
  EXPECT_EQ(bytes_of(encoded).size(), 50u);
  auto back = read_offer("http://127.0.0.1:40000/relay01/#offer=" + encoded);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->relay, o.relay);
  EXPECT_EQ(back->direct, "");
}

TEST(PairingOffer, ABareOfferThatTakesItsRelayFromItsLinkNeedsTheLink) {
  const std::string encoded = encode_offer(sample("wss://relay.example", ""), "https://relay.example");
  auto bare = read_offer(encoded);
  ASSERT_FALSE(bare);
  EXPECT_EQ(bare.error().code, core::Errc::bad_link);
  EXPECT_NE(bare.error().message.find("whole link"), std::string::npos) << bare.error().message;
  auto against = read_offer(encoded, "https://relay.example");
  ASSERT_TRUE(against) << against.error().message;
  EXPECT_EQ(against->relay, "wss://relay.example");
}

TEST(PairingOffer, VersionOneIsStillRead) {
  const std::string key(43, 'A');
  const std::string json = R"({"v":1,"daemon_id":")" + key + R"(","noise_key":")" + std::string(42, 'B') + R"(A","relay":"wss://r.example","direct":"","secret":")" +
                           std::string(43, 'C').replace(42, 1, "A") + "\"}";
  const std::string encoded = core::base64url_encode({reinterpret_cast<const std::uint8_t*>(json.data()), json.size()});
  auto back = read_offer("https://r.example/#offer=" + encoded);
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_TRUE(back->noise_key);
  EXPECT_EQ(back->secret.size(), 32u);
  EXPECT_EQ(back->relay, "wss://r.example");
}

TEST(PairingOffer, MalformedOffersAreRefusedWithTheirReason) {
  const auto good = bytes_of(encode_offer(sample("wss://r.example", "http://127.0.0.1:7777"), "https://app.example"));
  auto refused = [](const std::string& text) {
    auto r = read_offer(text);
    return r ? std::string("accepted") : r.error().message;
  };
  EXPECT_NE(refused("").find("no pairing offer"), std::string::npos);
  EXPECT_NE(refused("https://x/#offer=").find("no pairing offer"), std::string::npos);
  EXPECT_NE(refused("not base64!").find("not a tether pairing link"), std::string::npos);
  EXPECT_NE(refused(std::string(5000, 'A')).find("too long"), std::string::npos);
  for (std::size_t cut = 1; cut < good.size(); ++cut) {
    EXPECT_NE(refused(text_of(core::Bytes(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(cut)))), "accepted") << cut;
  }
  auto with = [&](auto change) {
    core::Bytes b = good;
    change(b);
    return refused(text_of(b));
  };
  EXPECT_NE(with([](core::Bytes& b) { b.push_back(0); }).find("bytes after"), std::string::npos);
  EXPECT_NE(with([](core::Bytes& b) { b[0] = 3; }).find("another version"), std::string::npos);
  EXPECT_NE(with([](core::Bytes& b) { b[1] |= 0x10; }).find("flags"), std::string::npos);
  EXPECT_NE(with([](core::Bytes& b) { b[1] = 0; }).find("flags"), std::string::npos);
  EXPECT_NE(with([](core::Bytes& b) { b[1] |= 1; }).find("flags"), std::string::npos);  // relay both from the link and following
  EXPECT_NE(with([](core::Bytes& b) { b[1] |= 8; }).find("flags"), std::string::npos);  // direct both loopback and following
  EXPECT_NE(with([](core::Bytes& b) { b[50] = 200; }).find("cut short"), std::string::npos);  // relay length past the end
  EXPECT_NE(with([](core::Bytes& b) { b[50] = 0; }).find("cut short"), std::string::npos);
  EXPECT_NE(with([](core::Bytes& b) { b[52] = 'f'; b[53] = 't'; b[54] = 'p'; }).find("malformed relay"), std::string::npos);
  EXPECT_NE(with([](core::Bytes& b) { b[b.size() - 1] = 0; b[b.size() - 2] = 0; }).find("port is 0"), std::string::npos);
  for (const char* bad_json : {R"({"v":1})", R"({"v":1,"daemon_id":"x"})", "[1]", "{"}) {
    const std::string j = bad_json;
    EXPECT_NE(refused(core::base64url_encode({reinterpret_cast<const std::uint8_t*>(j.data()), j.size()})), "accepted") << j;
  }
}

TEST(PairingOffer, RelayUrlOfABase) {
  EXPECT_EQ(relay_url_of_base("https://relay.example"), "wss://relay.example");
  EXPECT_EQ(relay_url_of_base("http://127.0.0.1:1/p"), "ws://127.0.0.1:1/p");
  EXPECT_EQ(relay_url_of_base("ftp://x"), "");
  EXPECT_EQ(relay_url_of_base("https://"), "");
}

}  // namespace
}  // namespace tether::proto
