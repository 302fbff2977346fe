// Pairing offers: one-time secrets that let a new device register its static
// key. Only a secret's hash is stored; wrong guesses burn open offers and, past a
// global rate, stop all pairing for a cooling-off period.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <string>

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
};

class PairingService {
 public:
  PairingService(store::Store& store, PairingPolicy policy = {}) : store_(store), policy_(policy) {}

  core::Result<CreatedOffer> create(std::string_view name, std::string_view mode, std::chrono::seconds ttl, TimePoint now);

  // The device's pairing request from its handshake. Every failure is audited and
  // answers with one of: "cooling_off", "bad_secret" (unknown, expired or used —
  // not told apart to the peer), "key_in_use" (the key is already registered or revoked).
  core::Result<Redeemed> redeem(std::string_view secret, const crypto::Key32& device_key, std::string_view device_name,
                                TimePoint now, std::string_view source);

  void handshake_finished(const std::string& offer_id, std::string sas) { sas_[offer_id] = std::move(sas); }
  core::Result<OfferStatus> status(std::string_view offer_id, TimePoint now);

 private:
  core::Error fail(TimePoint now, std::string_view source, std::string_view reason, core::Errc code);
  bool cooling_off(TimePoint now);
  // Burns the offer and adds the device in one transaction.
  core::Result<void> register_device(const std::string& offer_id, const store::Device& device, TimePoint now);

  store::Store& store_;
  PairingPolicy policy_;
  std::deque<TimePoint> failures_;
  std::optional<TimePoint> cooling_until_;
  std::map<std::string, std::string, std::less<>> sas_;
};

// A device's id: "d" and the base64url of the first 12 bytes of SHA-256 of its static
// public key (existing devices keep the id they were paired with).
std::string device_id_for_key(const crypto::Key32& key);

}  // namespace tether::daemon
