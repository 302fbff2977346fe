// The cacophony vectors of tests/data/noise/cacophony.json, byte for byte, through
// the one HandshakeState; AESGCM vectors run on both AES-256-GCM backends.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/encoding.hpp"
#include "crypto/handshake_state.hpp"
#include "crypto/identity.hpp"

namespace tether::crypto {
namespace {

namespace json = boost::json;

core::Bytes hex(const json::value& v) { return core::hex_decode(std::string(v.as_string())).value(); }

Key32 key32(const json::value& v) {
  const auto bytes = hex(v);
  Key32 out{};
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

constexpr const char* kVectorsPath = TETHER_TEST_DATA_DIR "/noise/cacophony.json";

const json::array& vectors() {
  // A missing or broken file yields no vectors, so FileHoldsTheTenProtocols fails with a
  // message instead of the binary aborting while gtest lists its tests.
  static const json::value doc = [] {
    std::ifstream in(kVectorsPath);
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    json::value parsed = json::parse(text.str(), ec);
    if (ec || !parsed.is_object() || !parsed.as_object().contains("vectors")) return json::value(json::object{{"vectors", json::array{}}});
    return parsed;
  }();
  return doc.at("vectors").as_array();
}

// The config of one side ("init" or "resp") of a vector.
HandshakeConfig side_config(const json::object& v, const std::string& side, AesGcmBackend backend) {
  HandshakeConfig config;
  config.protocol_name = std::string(v.at("protocol_name").as_string());
  config.role = side == "init" ? Role::initiator : Role::responder;
  config.prologue = hex(v.at(side + "_prologue"));
  if (v.contains(side + "_static")) config.static_key = KeyPair::from_secret(hex(v.at(side + "_static"))).value();
  if (v.contains(side + "_remote_static")) config.remote_static = key32(v.at(side + "_remote_static"));
  if (v.contains(side + "_psks")) {
    for (const auto& psk : v.at(side + "_psks").as_array()) config.psks.push_back(key32(psk));
  }
  const auto ephemeral = hex(v.at(side + "_ephemeral"));
  config.ephemerals = [ephemeral] { return KeyPair::from_secret(ephemeral).value(); };
  config.aes_backend = backend;
  return config;
}

struct Case {
  std::size_t index;
  AesGcmBackend backend;
};

void PrintTo(const Case& c, std::ostream* os) { *os << "vector " << c.index << " " << to_string(c.backend); }

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (std::size_t i = 0; i < vectors().size(); ++i) {
    cases.push_back({i, AesGcmBackend::openssl});
    const std::string name(vectors()[i].at("protocol_name").as_string());
    if (name.find("AESGCM") != std::string::npos) cases.push_back({i, AesGcmBackend::sodium});
  }
  return cases;
}

class VectorTest : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(init());
    if (GetParam().backend == AesGcmBackend::sodium && default_aes_gcm_backend() != AesGcmBackend::sodium) {
      GTEST_SKIP() << "libsodium AES-256-GCM needs AES-NI, absent on this CPU";
    }
  }
};

TEST_P(VectorTest, HandshakeAndTransportMatchByteForByte) {
  const auto& v = vectors()[GetParam().index].as_object();
  auto initiator = HandshakeState::create(side_config(v, "init", GetParam().backend));
  auto responder = HandshakeState::create(side_config(v, "resp", GetParam().backend));
  ASSERT_TRUE(initiator) << initiator.error().message;
  ASSERT_TRUE(responder) << responder.error().message;

  const auto& messages = v.at("messages").as_array();
  std::size_t i = 0;
  for (; !initiator->is_complete(); ++i) {
    ASSERT_LT(i, messages.size());
    auto& writer = i % 2 == 0 ? *initiator : *responder;
    auto& reader = i % 2 == 0 ? *responder : *initiator;
    const auto payload = hex(messages[i].at("payload"));
    auto written = writer.write_message(payload);
    ASSERT_TRUE(written) << written.error().code;
    EXPECT_EQ(core::hex_encode(*written), messages[i].at("ciphertext").as_string()) << "message " << i;
    auto read = reader.read_message(*written);
    ASSERT_TRUE(read) << read.error().code << " in message " << i;
    EXPECT_EQ(*read, payload);
  }
  ASSERT_TRUE(responder->is_complete());
  EXPECT_EQ(core::hex_encode(initiator->handshake_hash()), v.at("handshake_hash").as_string());
  EXPECT_EQ(initiator->handshake_hash(), responder->handshake_hash());

  auto init_transport = initiator->split();
  auto resp_transport = responder->split();
  ASSERT_TRUE(init_transport && resp_transport);
  for (; i < messages.size(); ++i) {
    auto& sender = i % 2 == 0 ? init_transport->send : resp_transport->send;
    auto& receiver = i % 2 == 0 ? resp_transport->receive : init_transport->receive;
    const auto payload = hex(messages[i].at("payload"));
    auto sealed = sender.encrypt_with_ad({}, payload);
    ASSERT_TRUE(sealed);
    EXPECT_EQ(core::hex_encode(*sealed), messages[i].at("ciphertext").as_string()) << "message " << i;
    auto opened = receiver.decrypt_with_ad({}, *sealed);
    ASSERT_TRUE(opened) << opened.error().code;
    EXPECT_EQ(*opened, payload);
  }
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string name(vectors()[info.param.index].at("protocol_name").as_string());
  if (name.find("AESGCM") != std::string::npos) name += info.param.backend == AesGcmBackend::sodium ? "_sodium" : "_openssl";
  for (auto& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Cacophony, VectorTest, ::testing::ValuesIn(all_cases()), case_name);

TEST(Vectors, FileHoldsTheTenProtocols) {
  ASSERT_EQ(vectors().size(), 10u) << "cannot read the vectors from " << kVectorsPath;
  for (const auto& v : vectors()) {
    EXPECT_TRUE(parse_protocol(v.at("protocol_name").as_string()).ok()) << v.at("protocol_name").as_string();
  }
}

TEST(Protocol, RejectsUnsupportedNames) {
  for (const char* name : {"Noise_IK_448_AESGCM_SHA256", "Noise_IK_25519_AESGCM_BLAKE2b", "Noise_NX_25519_AESGCM_SHA256",
                           "Noise_IKpsk_25519_AESGCM_SHA256", "Noise_IKpsk9_25519_AESGCM_SHA256", "Noise_IKpsk2+_25519_AESGCM_SHA256",
                           "Noise_IKfallback_25519_AESGCM_SHA256", "IK_25519_AESGCM_SHA256", "Noise_IK", ""}) {
    auto p = parse_protocol(name);
    ASSERT_FALSE(p) << name;
    EXPECT_EQ(p.error().code, core::Errc::unsupported_protocol);
  }
  auto two = parse_protocol("Noise_XXpsk0+psk3_25519_ChaChaPoly_SHA256");
  ASSERT_TRUE(two);
  EXPECT_EQ(two->pattern.psk_count(), 2u);
  EXPECT_EQ(two->pattern.messages.front().front(), Token::psk);
  EXPECT_EQ(two->pattern.messages.back().back(), Token::psk);
}

}  // namespace
}  // namespace tether::crypto
