// Pairing offers: one-time secrets that let a new device register its static
// key. Only a secret's hash is stored; wrong guesses burn open offers and, past a
// global rate, stop all pairing for a cooling-off period.
//
// A device that redeemed an offer is pending: it may only answer its pairing until both
// ends have compared the SAS and said the codes match — the device on the connection
// whose handshake produced that SAS, the owner through the offer. "They differ" from
// either end, the device leaving before it answered, or no answers within
// `confirm_within` revoke the device at once; every outcome is audited.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/link_states.hpp"
#include "core/result.hpp"
#include "crypto/key_pair.hpp"
#include "store/store.hpp"

namespace tether::daemon {

using TimePoint = std::chrono::system_clock::time_point;

struct PairingPolicy {
  std::int64_t burn_after = 5;                     // wrong guesses while an offer is open burn it
  std::size_t global_failures = 10;                // this many failures within `window`...
  std::chrono::seconds window{60};
  std::chrono::seconds cooling_off{60};            // ...refuse every attempt for this long
  std::chrono::seconds max_ttl{3600};
  std::chrono::seconds confirm_within{300};        // from the handshake to both answers
};

struct CreatedOffer {
  std::string id;
  std::string secret;  // base64url of 32 random bytes; shown once, never stored
  std::string name;
  std::string mode;
  TimePoint expires;
};

struct Redeemed {
  store::Device device;
  std::string offer_id;
};

struct OfferStatus {
  core::PairingState state = core::PairingState::open;
  std::string device_id;
  std::string device_name;
  std::string sas;  // known once the paired device's handshake finished
  bool device_confirmed = false;
  bool owner_confirmed = false;
  std::string declined_by;  // "device", "owner", "left" or "timeout" once declined
};

// A pairing whose answers are all in, or one that was declined: what the daemon must do
// to the device's live connections (give them the device's role, or close them).
struct Settled {
  std::string device_id;
  core::PairingState state = core::PairingState::confirming;  // paired or declined once settled
  std::string mode;
};

class PairingService {
 public:
  PairingService(store::Store& store, PairingPolicy policy = {}) : store_(store), policy_(policy) {}

  core::Result<CreatedOffer> create(std::string_view name, std::string_view mode, std::chrono::seconds ttl, TimePoint now);

  // The device's pairing request from its handshake. Every failure is audited and
  // answers with one of: "cooling_off", "bad_secret" (unknown, expired or used —
  // not told apart to the peer), "key_in_use" (the key is revoked). A key that is registered
  // pairs again: that device takes the offer's mode and is pending again.
  core::Result<Redeemed> redeem(std::string_view secret, const crypto::Key32& device_key, std::string_view device_name,
                                TimePoint now, std::string_view source);

  // The pairing handshake on `connection` was answered with this SAS: the confirmations start.
  void handshake_finished(const std::string& offer_id, std::string sas, std::uint64_t connection, TimePoint now);
  core::Result<OfferStatus> status(std::string_view offer_id, TimePoint now);

  // The owner's answer for an offer, or the device's answer on its pairing connection.
  // Errors: not_found (no such offer, or nothing to answer on this connection), wrong_state
  // (the pairing was settled before: declined, timed out).
  core::Result<Settled> confirm_by_owner(std::string_view offer_id, bool match, TimePoint now);
  core::Result<Settled> confirm_by_device(std::string_view device_id, std::uint64_t connection, bool match, TimePoint now);
  // The device's pairing connection closed: declined unless the device had answered "they match".
  std::optional<Settled> connection_closed(std::uint64_t connection, TimePoint now);
  // Pairings whose time to answer ran out: declined (their devices are revoked).
  std::vector<Settled> expire(TimePoint now);
  // At start: devices left pending by an earlier run are revoked (their answers are lost).
  core::Result<std::size_t> revoke_leftovers(TimePoint now);

 private:
  core::Error fail(TimePoint now, std::string_view source, std::string_view reason, core::Errc code);
  bool cooling_off(TimePoint now);
  // Burns the offer and adds the device (or, `again`, makes the known device pending with
  // its new name and mode) in one transaction.
  core::Result<void> register_device(const std::string& offer_id, const store::Device& device, bool again, TimePoint now);

  struct Confirmation {
    std::string device_id;
    std::string mode;
    std::string sas;
    std::uint64_t connection = 0;
    TimePoint deadline;
    bool device_ok = false;
    bool owner_ok = false;
    core::PairingState state = core::PairingState::confirming;
    std::string declined_by;
  };
  core::Result<Settled> answer(Confirmation& c, const std::string& offer_id, bool owner, bool match, TimePoint now);
  Settled decline(Confirmation& c, const std::string& offer_id, std::string_view by, TimePoint now);

  store::Store& store_;
  PairingPolicy policy_;
  std::deque<TimePoint> failures_;
  std::optional<TimePoint> cooling_until_;
  std::map<std::string, Confirmation, std::less<>> confirmations_;  // by offer id
};

// A device's id: "d" and the base64url of the first 12 bytes of SHA-256 of its static
// public key (existing devices keep the id they were paired with).
std::string device_id_for_key(const crypto::Key32& key);

}  // namespace tether::daemon
