#include "daemon/pairing.hpp"

#include "daemon/device_name.hpp"
#include "daemon/device_role.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/encoding.hpp"
#include "crypto/secrets.hpp"

namespace tether::daemon {

namespace json = boost::json;

std::string device_id_for_key(const crypto::Key32& key) {
  const auto digest = crypto::sha256(key);
  // The "d" keeps an id from starting with "-" (base64url can), which a command line
  // such as `tether devices revoke ID` would read as an option.
  return "d" + core::base64url_encode(std::span(digest).first(12));
}

core::Result<CreatedOffer> PairingService::create(std::string_view name, std::string_view mode, std::chrono::seconds ttl,
                                                  TimePoint now) {
  if (!device_role(mode)) return core::make_error(core::Errc::invalid_params, "mode must be full or read_only");
  auto named = device_name(name);
  if (!named) return named.error();
  if (ttl.count() < 1 || ttl > policy_.max_ttl) {
    return core::make_error(core::Errc::invalid_params, fmt::format("ttl must be between 1 and {} seconds", policy_.max_ttl.count()));
  }
  auto secret = crypto::random_bytes(32);
  const auto hash = crypto::sha256(secret);
  CreatedOffer offer{core::base64url_encode(crypto::random_bytes(9)), core::base64url_encode(secret), std::move(*named),
                     std::string(mode), now + ttl};
  crypto::wipe(secret);
  auto added = store_.pairings().add(store::Pairing{.id = offer.id,
                                                      .secret_hash = core::hex_encode(hash),
                                                      .name = offer.name,
                                                      .mode = offer.mode,
                                                      .created = now,
                                                      .expires = offer.expires});
  if (!added) return added.error();
  store_.audit().record(now, "owner", "pair_offer", offer.id,
                        json::serialize(json::object{{"name", offer.name}, {"mode", offer.mode},
                                                     {"ttl_seconds", ttl.count()}}));
  return offer;
}

bool PairingService::cooling_off(TimePoint now) {
  while (!failures_.empty() && failures_.front() <= now - policy_.window) failures_.pop_front();
  return cooling_until_ && now < *cooling_until_;
}

core::Error PairingService::fail(TimePoint now, std::string_view source, std::string_view reason, core::Errc code) {
  if (code != core::Errc::cooling_off) {
    failures_.push_back(now);
    if (auto ok = store_.pairings().record_failure(now, policy_.burn_after); !ok) {
      // The in-memory count above still cools pairing off; only the per-offer burn is missed.
      spdlog::error("pairing: cannot record a failed attempt: {}", ok.error().message);
    }
    if (failures_.size() >= policy_.global_failures && !cooling_off(now)) {
      cooling_until_ = now + policy_.cooling_off;
      spdlog::warn("pairing: {} failed attempts within {} s; refusing all pairing for {} s", failures_.size(),
                             policy_.window.count(), policy_.cooling_off.count());
    }
  }
  spdlog::warn("pairing: refused a pairing attempt from {}: {}", source, reason);
  store_.audit().record(now, "unknown", "pair_failed", "",
                        json::serialize(json::object{{"reason", reason}, {"source", source}}));
  return core::make_error(code, std::string(reason));
}

core::Result<Redeemed> PairingService::redeem(std::string_view secret, const crypto::Key32& device_key,
                                              std::string_view device_name, TimePoint now, std::string_view source) {
  if (cooling_off(now)) return fail(now, source, "cooling_off", core::Errc::cooling_off);
  auto raw = core::base64url_decode(secret);
  // 16 bytes in offers of version 2, 32 in those of version 1.
  if (!raw || (raw->size() != 16 && raw->size() != 32)) return fail(now, source, "malformed secret", core::Errc::bad_secret);
  const auto hash = crypto::sha256(*raw);
  crypto::wipe(*raw);

  auto offers = store_.pairings().open_offers(now);
  if (!offers) return offers.error();
  const store::Pairing* match = nullptr;
  for (const auto& offer : *offers) {  // compare with every open offer, no early exit
    auto stored = core::hex_decode(offer.secret_hash);
    if (stored && crypto::equal_constant_time(*stored, hash) && !match) match = &offer;
  }
  if (!match) return fail(now, source, "unknown, expired or used secret", core::Errc::bad_secret);

  const std::string public_key = core::base64url_encode(device_key);
  auto existing = store_.devices().find_by_key(public_key);
  if (!existing) return existing.error();
  // A device that pairs again with its key replaces its earlier self; a revoked key stays refused.
  if (*existing && (*existing)->revoked) return fail(now, source, "device key revoked", core::Errc::key_in_use);

  auto named = daemon::device_name(device_name);
  if (!named) return named.error();
  // The owner's name for the offer wins over the one the device gives itself.
  std::string name = !match->name.empty() ? match->name : std::move(*named);
  if (name.empty()) name = *existing ? (*existing)->name : "device";
  store::Device device{device_id_for_key(device_key), name, public_key, match->mode, now, std::nullopt, std::nullopt, std::nullopt};
  if (*existing) device.id = (*existing)->id;
  const std::string offer_id = match->id;
  if (auto registered = register_device(offer_id, device, existing->has_value(), now); !registered) {
    if (registered.error().code == core::Errc::already_used) return fail(now, source, "offer already used", core::Errc::bad_secret);
    return registered.error();
  }
  spdlog::info("pairing: device {} ({}, {}) from {} did the handshake; waiting for both ends to confirm the SAS", device.id,
               device.name, device.mode, source);
  store_.audit().record(now, device.id, "pair", device.id,
                        json::serialize(json::object{{"name", device.name}, {"mode", device.mode}, {"offer", offer_id},
                                                     {"source", source}, {"replaced", existing->has_value()}}));
  return Redeemed{device, offer_id};
}

core::Result<void> PairingService::register_device(const std::string& offer_id, const store::Device& device, bool again,
                                                   TimePoint now) {
  auto tx = store::Transaction::begin(store_.db());
  if (!tx) return tx.error();
  if (auto used = store_.pairings().mark_used(offer_id, device.id, now); !used) return used;
  if (again) {
    if (auto r = store_.devices().repair(device.id, device.name, device.mode); !r) return r;
  } else if (auto added = store_.devices().add(device); !added) {
    return added;
  }
  return tx->commit();
}

void PairingService::handshake_finished(const std::string& offer_id, std::string sas, std::uint64_t connection, TimePoint now) {
  auto offer = store_.pairings().get(offer_id);
  if (!offer || !*offer) return;
  auto device = store_.devices().get((*offer)->device_id);
  if (!device || !*device) return;
  // An unfinished pairing of the same device is superseded by this one (its key is the same).
  for (auto& [id, c] : confirmations_) {
    if (c.device_id == (*device)->id && c.state == core::PairingState::confirming) {
      c.state = core::PairingState::declined;
      c.declined_by = "replaced";
    }
  }
  confirmations_[offer_id] = Confirmation{.device_id = (*device)->id,
                                          .mode = (*device)->mode,
                                          .sas = std::move(sas),
                                          .connection = connection,
                                          .deadline = now + policy_.confirm_within};
}

Settled PairingService::decline(Confirmation& c, const std::string& offer_id, std::string_view by, TimePoint now) {
  c.state = core::PairingState::declined;
  c.declined_by = std::string(by);
  if (auto r = store_.devices().revoke(c.device_id, now); !r) {
    spdlog::error("pairing: cannot revoke device {} of a declined pairing: {}", c.device_id, r.error().message);
  }
  spdlog::warn("pairing: device {} revoked: its pairing was declined ({})", c.device_id, by);
  store_.audit().record(now, by == "device" ? c.device_id : std::string(by == "owner" ? "owner" : "daemon"), "pair_declined",
                        c.device_id, json::serialize(json::object{{"by", by}, {"offer", offer_id}}));
  return Settled{c.device_id, c.state, c.mode};
}

core::Result<Settled> PairingService::answer(Confirmation& c, const std::string& offer_id, bool owner, bool match,
                                             TimePoint now) {
  if (c.state == core::PairingState::paired && match) return Settled{c.device_id, c.state, c.mode};
  if (c.state != core::PairingState::confirming) {
    return core::make_error(core::Errc::wrong_state, "this pairing is over: it was " + std::string(core::to_string(c.state)));
  }
  if (!match) return decline(c, offer_id, owner ? "owner" : "device", now);
  (owner ? c.owner_ok : c.device_ok) = true;
  if (!c.owner_ok || !c.device_ok) return Settled{c.device_id, c.state, c.mode};
  if (auto r = store_.devices().confirm(c.device_id, now); !r) return r.error();
  c.state = core::PairingState::paired;
  spdlog::info("pairing: device {} paired: both ends confirmed the SAS", c.device_id);
  store_.audit().record(now, c.device_id, "pair_confirmed", c.device_id, json::serialize(json::object{{"offer", offer_id}}));
  return Settled{c.device_id, c.state, c.mode};
}

core::Result<Settled> PairingService::confirm_by_owner(std::string_view offer_id, bool match, TimePoint now) {
  auto it = confirmations_.find(offer_id);
  if (it == confirmations_.end()) return core::make_error(core::Errc::not_found, "no pairing waits for an answer on this offer");
  return answer(it->second, it->first, true, match, now);
}

core::Result<Settled> PairingService::confirm_by_device(std::string_view device_id, std::uint64_t connection, bool match,
                                                        TimePoint now) {
  for (auto& [id, c] : confirmations_) {
    if (c.connection == connection && c.device_id == device_id) return answer(c, id, false, match, now);
  }
  return core::make_error(core::Errc::not_found, "no pairing of this connection waits for an answer");
}

std::optional<Settled> PairingService::connection_closed(std::uint64_t connection, TimePoint now) {
  for (auto& [id, c] : confirmations_) {
    if (c.connection != connection) continue;
    c.connection = 0;
    if (c.state == core::PairingState::confirming && !c.device_ok) return decline(c, id, "left", now);
  }
  return std::nullopt;
}

std::vector<Settled> PairingService::expire(TimePoint now) {
  std::vector<Settled> out;
  for (auto it = confirmations_.begin(); it != confirmations_.end();) {
    auto& c = it->second;
    if (c.state == core::PairingState::confirming && c.deadline <= now) out.push_back(decline(c, it->first, "timeout", now));
    // A settled pairing is still reported by pair.status for as long as an offer could live.
    if (c.state != core::PairingState::confirming && c.deadline + policy_.max_ttl <= now) {
      it = confirmations_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

core::Result<std::size_t> PairingService::revoke_leftovers(TimePoint now) {
  auto devices = store_.devices().list();
  if (!devices) return devices.error();
  std::size_t n = 0;
  for (const auto& d : *devices) {
    if (!d.pending()) continue;
    if (auto r = store_.devices().revoke(d.id, now); !r) return r.error();
    store_.audit().record(now, "daemon", "pair_declined", d.id, json::serialize(json::object{{"by", "restart"}}));
    ++n;
  }
  if (n > 0) spdlog::warn("pairing: revoked {} device(s) whose pairing was not confirmed before the daemon stopped", n);
  return n;
}

core::Result<OfferStatus> PairingService::status(std::string_view offer_id, TimePoint now) {
  auto offer = store_.pairings().get(offer_id);
  if (!offer) return offer.error();
  if (!*offer) return core::make_error(core::Errc::not_found, "no such pairing offer");
  const auto& p = **offer;
  OfferStatus s;
  if (!p.used) {
    s.state = p.expires > now ? core::PairingState::open : core::PairingState::expired;
    return s;
  }
  s.device_id = p.device_id;
  auto device = store_.devices().get(p.device_id);
  if (device && *device) s.device_name = (*device)->name;
  if (auto it = confirmations_.find(p.id); it != confirmations_.end()) {
    const auto& c = it->second;
    s.state = c.state;
    s.sas = c.sas;
    s.device_confirmed = c.device_ok;
    s.owner_confirmed = c.owner_ok;
    s.declined_by = c.declined_by;
  } else {
    // Used by a handshake not answered yet, or settled before a restart.
    const bool confirmed = device && *device && (*device)->confirmed && !(*device)->revoked;
    s.state = confirmed ? core::PairingState::paired
                        : (device && *device && (*device)->revoked ? core::PairingState::declined : core::PairingState::confirming);
  }
  return s;
}

}  // namespace tether::daemon
