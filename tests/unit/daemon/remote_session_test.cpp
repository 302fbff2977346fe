// RemoteSession end to end without sockets: a real Noise initiator on one side,
// the daemon's session, dispatcher and store on the other.
#include "daemon/remote_session.hpp"
#include "daemon/pairing_outcome.hpp"
#include "link/close_codes.hpp"

#include <gtest/gtest.h>

#include <set>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "test_daemon.hpp"
#include "net/runtime.hpp"
#include "proto/jsonrpc.hpp"
#include "unit/temp_dir.hpp"

namespace tether::daemon {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

std::span<const std::uint8_t> bytes_of(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

struct FakeSink : FrameSink {
  void send(std::string frame) override { pushed.push_back(std::move(frame)); }
  void close(std::uint16_t c, std::string r) override {
    code = c;
    reason = std::move(r);
  }
  std::size_t queued_bytes() const override { return 0; }
  std::vector<std::string> pushed;
  std::optional<std::uint16_t> code;
  std::string reason;
};

// A device: its key, and once connected its session on the daemon and its channel.
struct Device {
  crypto::KeyPair key = crypto::KeyPair::generate();
  FakeSink sink;
  std::shared_ptr<RemoteSession> session;
  std::optional<crypto::Channel> channel;
  json::object hello_reply;
};

class RemoteSessionTest : public tether::testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    ASSERT_TRUE(crypto::init());
    daemon_ = std::make_unique<testing::TestDaemon>(dir_);
  }

  void TearDown() override {
    daemon_.reset();
    TempDirTest::TearDown();
  }

  // Runs the IK handshake with `payload` in message 1; true when the daemon answered.
  bool connect(Device& d, const std::string& payload, const crypto::Identity* to = nullptr) {
    auto hs = crypto::IkHandshake::initiator(d.key, (to ? *to : daemon_->identity).x25519_public());
    EXPECT_TRUE(hs);
    auto m1 = hs->write_message(bytes_of(payload));
    EXPECT_TRUE(m1);
    d.session = std::make_shared<RemoteSession>(daemon_->remote, d.sink, "test");
    auto frames = d.session->on_frame(std::string(m1->begin(), m1->end()));
    EXPECT_TRUE(frames);
    if (!frames || frames->empty()) return false;
    EXPECT_EQ(frames->size(), 1u);
    auto reply = hs->read_message(bytes_of(frames->front()));
    EXPECT_TRUE(reply);
    d.hello_reply = json::parse(std::string(reply->begin(), reply->end())).as_object();
    auto ch = hs->finish();
    EXPECT_TRUE(ch);
    d.channel.emplace(std::move(*ch));
    return true;
  }

  // Pairs `d` with a fresh offer; with `confirm`, both ends then say the codes match (the
  // owner first, then the device on its channel), so that the device has its mode.
  bool pair(Device& d, const std::string& mode, const std::string& name = "test device", bool confirm = true) {
    auto offer = daemon_->pairing.create("", mode, 300s, daemon_->now());
    EXPECT_TRUE(offer);
    offer_id_ = offer->id;
    if (!connect(d, json::serialize(json::object{{"pair", offer->secret}, {"name", name}}))) return false;
    if (!confirm) return true;
    auto owner = daemon_->pairing.confirm_by_owner(offer_id_, true, daemon_->now());
    EXPECT_TRUE(owner) << owner.error().message;
    const auto reply = call(d, "pair.confirm", {{"match", true}});
    EXPECT_EQ(reply.at("result").at("state").as_string(), "paired") << json::serialize(reply);
    return true;
  }

  // One application message through the channel; returns every reply it got.
  // Notifications the daemon pushed while handling it come first, as on the wire.
  std::vector<json::object> send(Device& d, std::string_view message) {
    std::vector<std::string> frames;
    for (const auto& chunk : crypto::split_message(bytes_of(message))) {
      auto sealed = d.channel->encrypt(chunk);
      EXPECT_TRUE(sealed);
      d.sink.pushed.clear();
      auto out = d.session->on_frame(std::string(sealed->begin(), sealed->end()));
      EXPECT_TRUE(out) << out.error().message;
      frames.insert(frames.end(), d.sink.pushed.begin(), d.sink.pushed.end());
      d.sink.pushed.clear();
      if (out) frames.insert(frames.end(), out->begin(), out->end());
    }
    crypto::Reassembler reassembler;
    std::vector<json::object> replies;
    for (const auto& f : frames) {
      auto chunk = d.channel->decrypt(bytes_of(f));
      EXPECT_TRUE(chunk);
      auto msg = reassembler.push(*chunk);
      EXPECT_TRUE(msg);
      if (msg && *msg) replies.push_back(json::parse(std::string((*msg)->begin(), (*msg)->end())).as_object());
    }
    return replies;
  }

  // One JSON-RPC call through the channel; returns the reply object.
  json::object call(Device& d, std::string_view method, json::object params = {}) {
    for (auto& reply : send(d, proto::make_request(7, method, params))) {
      if (reply.contains("id")) return reply;
    }
    ADD_FAILURE() << "no reply to " << method;
    return {};
  }

  static std::int64_t error_code(const json::object& reply) {
    const auto* e = reply.if_contains("error");
    return e ? e->at("code").as_int64() : 0;
  }

  std::size_t audit_count(std::string_view action) {
    auto entries = daemon_->store->audit().list(std::nullopt, std::nullopt, 10000);
    return static_cast<std::size_t>(std::count_if(entries->begin(), entries->end(), [&](const auto& e) { return e.action == action; }));
  }

  std::unique_ptr<testing::TestDaemon> daemon_;
  std::string offer_id_;
};

TEST_F(RemoteSessionTest, PairsShowsTheSameSasAndReconnectsWithItsKeyAlone) {
  Device d;
  ASSERT_TRUE(pair(d, "full"));
  EXPECT_EQ(d.hello_reply.at("mode").as_string(), "full");
  const std::string device_id(d.hello_reply.at("device_id").as_string());
  auto status = daemon_->pairing.status(offer_id_, daemon_->now());
  EXPECT_EQ(status->state, core::PairingState::paired);
  EXPECT_EQ(status->sas, d.channel->sas());
  EXPECT_EQ(status->sas.size(), 6u);
  auto info = call(d, "daemon.info");
  EXPECT_EQ(info.at("result").at("daemon_id").as_string(), daemon_->identity.id());
  EXPECT_EQ(daemon_->connections.device_count(device_id), 1u);
  d.session->on_close();
  EXPECT_EQ(daemon_->connections.device_count(device_id), 0u);

  Device again;
  again.key = d.key;
  ASSERT_TRUE(connect(again, ""));
  EXPECT_EQ(again.hello_reply.at("device_id").as_string(), device_id);
  EXPECT_TRUE(call(again, "device.list").contains("result"));
  EXPECT_EQ(audit_count("pair"), 1u);
  EXPECT_EQ(audit_count("connect"), 2u);
  EXPECT_EQ(audit_count("disconnect"), 1u);
}

TEST_F(RemoteSessionTest, UnknownKeyIsRefusedWithoutAnAnswer) {
  Device d;
  EXPECT_FALSE(connect(d, ""));
  EXPECT_EQ(d.sink.code, link::close_code::kDeviceRefused);
  EXPECT_EQ(d.sink.reason, "refused");
  EXPECT_EQ(audit_count("connect_refused"), 1u);
  EXPECT_TRUE(daemon_->store->devices().list()->empty());
}

TEST_F(RemoteSessionTest, RepeatedRefusalsWriteABoundedNumberOfAuditRows) {
  Device same;
  for (int i = 0; i < 50; ++i) {
    same.sink = FakeSink{};
    EXPECT_FALSE(connect(same, ""));  // the same unknown key again and again
  }
  EXPECT_EQ(audit_count("connect_refused"), 1u);
  for (int i = 0; i < 100; ++i) {
    Device fresh;  // a new key every time
    EXPECT_FALSE(connect(fresh, ""));
    EXPECT_EQ(fresh.sink.code, link::close_code::kDeviceRefused);
  }
  EXPECT_LE(audit_count("connect_refused"), 20u);
}

TEST_F(RemoteSessionTest, AReplayedFirstMessageIsNeitherCountedNorAuditedAsAConnect) {
  Device d;
  ASSERT_TRUE(pair(d, "full"));
  const std::string id(d.hello_reply.at("device_id").as_string());
  EXPECT_TRUE(call(d, "daemon.info").contains("result"));
  EXPECT_EQ(daemon_->connections.device_count(id), 1u);
  EXPECT_EQ(audit_count("connect"), 1u);

  // A first message of the paired device's, recorded and sent again by someone without
  // its keys: the daemon answers it, but nobody ever speaks on the channel.
  auto hs = crypto::IkHandshake::initiator(d.key, daemon_->identity.x25519_public());
  auto m1 = hs->write_message({});
  ASSERT_TRUE(m1);
  std::vector<std::unique_ptr<FakeSink>> sinks;
  std::vector<std::shared_ptr<RemoteSession>> replays;
  for (int i = 0; i < 20; ++i) {
    sinks.push_back(std::make_unique<FakeSink>());
    replays.push_back(std::make_shared<RemoteSession>(daemon_->remote, *sinks.back(), "test"));
    auto out = replays.back()->on_frame(std::string(m1->begin(), m1->end()));
    ASSERT_TRUE(out);
    EXPECT_EQ(out->size(), 1u);
  }
  EXPECT_EQ(daemon_->connections.device_count(id), 1u);
  EXPECT_EQ(audit_count("connect"), 1u);
  for (auto& r : replays) r->on_close();
  EXPECT_EQ(audit_count("disconnect"), 0u);

  // The device itself is counted once it speaks.
  Device again;
  again.key = d.key;
  ASSERT_TRUE(connect(again, ""));
  EXPECT_EQ(daemon_->connections.device_count(id), 1u);
  EXPECT_TRUE(call(again, "daemon.info").contains("result"));
  EXPECT_EQ(daemon_->connections.device_count(id), 2u);
  EXPECT_EQ(audit_count("connect"), 2u);
}

TEST_F(RemoteSessionTest, WrongSecretGetsTheSameRefusalAndRegistersNothing) {
  Device d;
  auto offer = daemon_->pairing.create("", "full", 300s, daemon_->now());
  EXPECT_FALSE(connect(d, json::serialize(json::object{{"pair", std::string(43, 'A')}})));
  EXPECT_EQ(d.sink.code, link::close_code::kDeviceRefused);
  EXPECT_EQ(d.sink.reason, "refused");
  EXPECT_TRUE(daemon_->store->devices().list()->empty());
  EXPECT_EQ(audit_count("pair_failed"), 1u);
}

TEST_F(RemoteSessionTest, GarbageFirstFramesAreRefused) {
  for (std::string garbage : {std::string(), std::string(10, 'x'), std::string(96, '\0'), std::string(70000, 'y')}) {
    FakeSink sink;
    auto s = std::make_shared<RemoteSession>(daemon_->remote, sink, "test");
    auto out = s->on_frame(garbage);
    ASSERT_TRUE(out);
    EXPECT_TRUE(out->empty());
    EXPECT_EQ(sink.code, link::close_code::kDeviceRefused);
  }
}

TEST_F(RemoteSessionTest, AReadOnlyDeviceIsRefusedEveryMethodThatIsNotRead) {
  Device d;
  ASSERT_TRUE(pair(d, "read_only"));
  std::size_t refused = 0;
  for (const auto& m : daemon_->dispatcher.methods()) {
    const auto reply = call(d, m.name);
    if (m.permission == proto::Permission::read || m.permission == proto::Permission::pairing) {
      EXPECT_NE(error_code(reply), proto::rpc_code::kPermissionDenied) << m.name;
    } else {
      EXPECT_EQ(error_code(reply), proto::rpc_code::kPermissionDenied) << m.name << " must be refused for read_only";
      ++refused;
    }
  }
  EXPECT_GT(refused, 0u);
  EXPECT_FALSE(daemon_->shutdown_requested);
  EXPECT_EQ(daemon_->store->devices().list()->size(), 1u);
}

TEST_F(RemoteSessionTest, EveryMutatingMethodIsMarkedWriteOrOwner) {
  // A method that changes anything must not be `read`: this list of read-only
  // methods is the reviewed set, and a new method has to be added here on purpose.
  const std::set<std::string> read_methods = {"approval.list", "approval.subscribe", "audit.list", "daemon.info",
                                              "device.list",   "rule.list",       "session.events",
                                              "session.get",   "session.list",    "session.subscribe",
                                              "session.unsubscribe", "session.watch"};
  for (const auto& m : daemon_->dispatcher.methods()) {
    if (m.permission == proto::Permission::read) EXPECT_TRUE(read_methods.contains(m.name)) << m.name << " is read: is it?";
    // A device whose pairing is not confirmed may call this one method, and it acts only
    // on that device's own pairing.
    if (m.permission == proto::Permission::pairing) EXPECT_EQ(m.name, "pair.confirm");
  }
}

TEST_F(RemoteSessionTest, AFullDeviceCannotCallOwnerMethods) {
  Device d;
  ASSERT_TRUE(pair(d, "full"));
  for (const auto& m : daemon_->dispatcher.methods()) {
    if (m.permission != proto::Permission::owner) continue;
    EXPECT_EQ(error_code(call(d, m.name)), proto::rpc_code::kPermissionDenied) << m.name;
  }
  EXPECT_FALSE(daemon_->shutdown_requested);
}

TEST_F(RemoteSessionTest, APendingDeviceMayOnlyAnswerItsPairingUntilBothEndsConfirm) {
  Device d;
  ASSERT_TRUE(pair(d, "full", "phone", false));
  EXPECT_TRUE(d.hello_reply.at("pending").as_bool());
  const std::string id(d.hello_reply.at("device_id").as_string());
  EXPECT_TRUE((*daemon_->store->devices().get(id))->pending());
  for (const auto& m : daemon_->dispatcher.methods()) {
    if (m.permission == proto::Permission::pairing) continue;
    EXPECT_EQ(error_code(call(d, m.name)), proto::rpc_code::kPermissionDenied) << m.name << " before the SAS is confirmed";
  }
  // The device says the codes match first: still pending until the owner does.
  auto reply = call(d, "pair.confirm", {{"match", true}});
  EXPECT_EQ(reply.at("result").at("state").as_string(), "confirming");
  EXPECT_EQ(error_code(call(d, "daemon.info")), proto::rpc_code::kPermissionDenied);
  EXPECT_EQ(daemon_->pairing.status(offer_id_, daemon_->now())->state, core::PairingState::confirming);
  // The owner's answer settles it; the live connection gets the device's mode and is told.
  d.sink.pushed.clear();
  auto settled = daemon_->pairing.confirm_by_owner(offer_id_, true, daemon_->now());
  ASSERT_TRUE(settled);
  EXPECT_EQ(settled->state, core::PairingState::paired);
  apply_pairing_outcome(*settled, daemon_->connections);
  ASSERT_EQ(d.sink.pushed.size(), 1u);
  auto note = d.channel->decrypt(bytes_of(d.sink.pushed.front()));
  ASSERT_TRUE(note);
  crypto::Reassembler reassembler;
  auto message = reassembler.push(*note);
  ASSERT_TRUE(message && *message);
  const auto changed = json::parse(std::string((*message)->begin(), (*message)->end())).as_object();
  EXPECT_EQ(changed.at("method").as_string(), "pair.changed");
  EXPECT_EQ(changed.at("params").at("state").as_string(), "paired");
  d.sink.pushed.clear();
  EXPECT_TRUE(call(d, "daemon.info").contains("result"));
  EXPECT_FALSE((*daemon_->store->devices().get(id))->pending());
  EXPECT_EQ(audit_count("pair_confirmed"), 1u);
}

TEST_F(RemoteSessionTest, TheyDifferOnEitherEndRevokesTheDeviceAtOnce) {
  Device d;
  ASSERT_TRUE(pair(d, "full", "phone", false));
  const std::string id(d.hello_reply.at("device_id").as_string());
  call(d, "pair.confirm", {{"match", false}});
  EXPECT_EQ(d.sink.code, link::close_code::kDeviceRevoked);
  EXPECT_TRUE((*daemon_->store->devices().get(id))->revoked);
  EXPECT_EQ(daemon_->pairing.status(offer_id_, daemon_->now())->declined_by, "device");

  Device e;
  ASSERT_TRUE(pair(e, "full", "tablet", false));
  const std::string id2(e.hello_reply.at("device_id").as_string());
  call(e, "pair.confirm", {{"match", true}});
  auto settled = daemon_->pairing.confirm_by_owner(offer_id_, false, daemon_->now());
  ASSERT_TRUE(settled);
  apply_pairing_outcome(*settled, daemon_->connections);
  EXPECT_EQ(e.sink.code, link::close_code::kDeviceRevoked);
  EXPECT_TRUE((*daemon_->store->devices().get(id2))->revoked);
  EXPECT_EQ(audit_count("pair_declined"), 2u);
  // A revoked key stays refused, by key and by a new offer alike.
  Device again;
  again.key = e.key;
  EXPECT_FALSE(connect(again, ""));
  EXPECT_EQ(again.sink.code, link::close_code::kDeviceRefused);
}

TEST_F(RemoteSessionTest, ADeviceThatLeavesBeforeConfirmingIsRevokedAndAPendingOneCannotReconnect) {
  Device d;
  ASSERT_TRUE(pair(d, "full", "phone", false));
  const std::string id(d.hello_reply.at("device_id").as_string());
  d.session->on_close();
  EXPECT_TRUE((*daemon_->store->devices().get(id))->revoked);
  EXPECT_EQ(daemon_->pairing.status(offer_id_, daemon_->now())->declined_by, "left");

  // Confirmed on the device, then gone: pending until the owner answers, and not
  // reachable by key meanwhile (the pairing is settled on its own connection only).
  Device e;
  ASSERT_TRUE(pair(e, "full", "tablet", false));
  call(e, "pair.confirm", {{"match", true}});
  e.session->on_close();
  const std::string id2(e.hello_reply.at("device_id").as_string());
  EXPECT_TRUE((*daemon_->store->devices().get(id2))->pending());
  Device again;
  again.key = e.key;
  EXPECT_FALSE(connect(again, ""));
  EXPECT_EQ(again.sink.code, link::close_code::kDeviceRefused);
  auto settled = daemon_->pairing.confirm_by_owner(offer_id_, true, daemon_->now());
  ASSERT_TRUE(settled);
  EXPECT_EQ(settled->state, core::PairingState::paired);
  Device later;
  later.key = e.key;
  ASSERT_TRUE(connect(later, ""));
  EXPECT_TRUE(call(later, "daemon.info").contains("result"));
}

TEST_F(RemoteSessionTest, PairingAgainWithTheSameKeyReplacesTheDeviceAndKeepsTheOwnersName) {
  Device d;
  ASSERT_TRUE(pair(d, "full", "phone"));
  const std::string id(d.hello_reply.at("device_id").as_string());
  auto offer = daemon_->pairing.create("desk phone", "read_only", 300s, daemon_->now());
  ASSERT_TRUE(offer);
  offer_id_ = offer->id;
  Device again;
  again.key = d.key;
  ASSERT_TRUE(connect(again, json::serialize(json::object{{"pair", offer->secret}, {"name", "my phone"}})));
  EXPECT_EQ(again.hello_reply.at("device_id").as_string(), id);
  EXPECT_EQ(again.hello_reply.at("name").as_string(), "desk phone");  // the owner's --name wins
  // The earlier connection of the same device is held back too until the new pairing is confirmed.
  EXPECT_EQ(error_code(call(d, "daemon.info")), proto::rpc_code::kPermissionDenied);
  ASSERT_TRUE(daemon_->pairing.confirm_by_owner(offer_id_, true, daemon_->now()));
  EXPECT_EQ(call(again, "pair.confirm", {{"match", true}}).at("result").at("state").as_string(), "paired");
  const auto devices = *daemon_->store->devices().list();
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0].mode, "read_only");
  EXPECT_EQ(devices[0].name, "desk phone");
  EXPECT_EQ(error_code(call(again, "device.rename", {{"id", id}, {"name", "x"}})), proto::rpc_code::kPermissionDenied);
}

TEST_F(RemoteSessionTest, DuringAKeyRotationTheOldKeyAnswersAndNamesTheNewOne) {
  Device d;
  ASSERT_TRUE(pair(d, "full"));
  const auto old_identity = crypto::Identity::generate();
  const auto rotation = crypto::sign_rotation(old_identity, daemon_->identity, 1'900'000'000'000);
  daemon_->remote.previous = &old_identity;
  daemon_->remote.rotation = &rotation;

  Device on_old;
  on_old.key = d.key;
  ASSERT_TRUE(connect(on_old, "", &old_identity));
  ASSERT_TRUE(on_old.hello_reply.contains("rotate"));
  const auto& r = on_old.hello_reply.at("rotate").as_object();
  crypto::KeyRotation seen{old_identity.id(), std::string(r.at("daemon_id").as_string()), std::string(r.at("noise_key").as_string()),
                           r.at("deadline").as_int64(), std::string(r.at("signature").as_string())};
  EXPECT_TRUE(seen.verify());
  EXPECT_EQ(seen.new_id, daemon_->identity.id());
  EXPECT_TRUE(call(on_old, "daemon.info").contains("result"));

  Device on_new;
  on_new.key = d.key;
  ASSERT_TRUE(connect(on_new, "", nullptr));
  EXPECT_FALSE(on_new.hello_reply.contains("rotate"));
  // A key the daemon never had is refused as before; an unknown device on the old key too.
  const auto stranger_key = crypto::Identity::generate();
  Device lost;
  lost.key = d.key;
  EXPECT_FALSE(connect(lost, "", &stranger_key));
  Device unknown;
  EXPECT_FALSE(connect(unknown, "", &old_identity));
  EXPECT_EQ(unknown.sink.code, link::close_code::kDeviceRefused);
  // Past the deadline the daemon starts without the old key: its devices are refused.
  daemon_->remote.previous = nullptr;
  daemon_->remote.rotation = nullptr;
  Device late;
  late.key = d.key;
  EXPECT_FALSE(connect(late, "", &old_identity));
}

TEST_F(RemoteSessionTest, RevokeClosesTheLiveConnectionAndRefusesTheKey) {
  Device d;
  ASSERT_TRUE(pair(d, "full"));
  const std::string id(d.hello_reply.at("device_id").as_string());
  Device admin;
  ASSERT_TRUE(pair(admin, "full"));
  auto reply = call(admin, "device.revoke", {{"id", id}});
  ASSERT_TRUE(reply.contains("result")) << json::serialize(reply);
  EXPECT_EQ(d.sink.code, link::close_code::kDeviceRevoked);
  Device again;
  again.key = d.key;
  EXPECT_FALSE(connect(again, ""));
  EXPECT_EQ(again.sink.code, link::close_code::kDeviceRefused);
  EXPECT_EQ(audit_count("revoke"), 1u);
}

TEST_F(RemoteSessionTest, AModeChangeReachesTheLiveConnectionAtOnce) {
  Device d;
  ASSERT_TRUE(pair(d, "full"));
  const std::string id(d.hello_reply.at("device_id").as_string());
  EXPECT_TRUE(call(d, "device.rename", {{"id", id}, {"name", "mine"}}).contains("result"));
  ASSERT_TRUE(daemon_->store->devices().set_mode(id, "read_only"));
  daemon_->connections.set_device_role(id, proto::Role::read_only);
  EXPECT_EQ(error_code(call(d, "device.rename", {{"id", id}, {"name", "x"}})), proto::rpc_code::kPermissionDenied);
}

TEST_F(RemoteSessionTest, ARenameIsRefusedControlsAndCutOnACharacter) {
  Device d;
  ASSERT_TRUE(pair(d, "full"));
  const std::string id(d.hello_reply.at("device_id").as_string());
  for (const char* bad : {"esc\x1b[31mRED\x1b[0m\x07", "abc\u202Efdp", "a\rb"}) {
    EXPECT_EQ(error_code(call(d, "device.rename", {{"id", id}, {"name", bad}})), proto::rpc_code::kInvalidParams) << bad;
  }
  // Past 64 bytes a rename is refused whole (never cut inside a character); 21 three-byte
  // characters (63 bytes) are taken as they are, and the list answers them.
  std::string name;
  for (int i = 0; i < 22; ++i) name += "\u65e5";
  EXPECT_EQ(error_code(call(d, "device.rename", {{"id", id}, {"name", name}})), proto::rpc_code::kInvalidParams);
  name.resize(63);
  auto reply = call(d, "device.rename", {{"id", id}, {"name", name}});
  ASSERT_TRUE(reply.contains("result")) << json::serialize(reply);
  EXPECT_EQ(reply.at("result").at("name").as_string(), name);
  auto listed = call(d, "device.list", {});
  ASSERT_TRUE(listed.contains("result")) << json::serialize(listed);
}

TEST_F(RemoteSessionTest, ALongNameInTheHelloIsCutOnACharacterNotRefused) {
  // 100 three-byte characters (300 bytes): past what the hello keeps, and not a multiple
  // of 3 at any byte bound; the device pairs with the first 21 of them (63 bytes).
  std::string name;
  for (int i = 0; i < 100; ++i) name += "\u65e5";
  Device d;
  ASSERT_TRUE(pair(d, "full", name));
  const std::string id(d.hello_reply.at("device_id").as_string());
  auto device = daemon_->store->devices().get(id);
  ASSERT_TRUE(device && *device);
  EXPECT_EQ((*device)->name, name.substr(0, 63));
}

TEST_F(RemoteSessionTest, AMessageHoldsOneRequestAndAnEmptyOneIsAParseError) {
  Device d;
  ASSERT_TRUE(pair(d, "full"));
  // Two requests in one message, as two lines: one parse error, and the second unanswered.
  const std::string two = proto::make_request(1, "daemon.info", {}) + "\n" + proto::make_request(2, "daemon.info", {});
  auto replies = send(d, two);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(error_code(replies.front()), proto::rpc_code::kParseError);
  replies = send(d, "");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(error_code(replies.front()), proto::rpc_code::kParseError);
  // A trailing line end is not a second request, and the channel serves on.
  replies = send(d, proto::make_request(3, "daemon.info", {}) + "\n");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(replies.front().contains("result"));
}

TEST_F(RemoteSessionTest, ATamperedFrameKillsTheConnection) {
  Device d;
  ASSERT_TRUE(pair(d, "full"));
  const std::string line = proto::make_request(1, "daemon.info", {});
  auto sealed = d.channel->encrypt(crypto::split_message(bytes_of(line)).front());
  std::string frame(sealed->begin(), sealed->end());
  frame[frame.size() / 2] ^= 0x01;
  EXPECT_FALSE(d.session->on_frame(frame));
}

TEST_F(RemoteSessionTest, AReplayedFrameKillsTheConnection) {
  Device d;
  ASSERT_TRUE(pair(d, "full"));
  const std::string line = proto::make_request(1, "daemon.info", {});
  auto sealed = d.channel->encrypt(crypto::split_message(bytes_of(line)).front());
  const std::string frame(sealed->begin(), sealed->end());
  EXPECT_TRUE(d.session->on_frame(frame));
  EXPECT_FALSE(d.session->on_frame(frame));
}

}  // namespace
}  // namespace tether::daemon
