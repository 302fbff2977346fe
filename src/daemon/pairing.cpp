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
  if (!raw || raw->size() != 32) return fail(now, source, "malformed secret", core::Errc::bad_secret);
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
  if (*existing) return fail(now, source, "device key already registered or revoked", core::Errc::key_in_use);

  auto named = daemon::device_name(device_name);
  if (!named) return named.error();
  std::string name = std::move(*named);
  if (name.empty()) name = match->name.empty() ? "device" : match->name;
  store::Device device{device_id_for_key(device_key), name, public_key, match->mode, now, std::nullopt, std::nullopt};
  const std::string offer_id = match->id;
  if (auto registered = register_device(offer_id, device, now); !registered) {
    if (registered.error().code == core::Errc::already_used) return fail(now, source, "offer already used", core::Errc::bad_secret);
    return registered.error();
  }
  spdlog::info("pairing: registered device {} ({}, {}) from {}", device.id, device.name, device.mode, source);
  store_.audit().record(now, device.id, "pair", device.id,
                        json::serialize(json::object{{"name", device.name}, {"mode", device.mode},
                                                     {"offer", offer_id}, {"source", source}}));
  return Redeemed{device, offer_id};
}

core::Result<void> PairingService::register_device(const std::string& offer_id, const store::Device& device, TimePoint now) {
  auto tx = store::Transaction::begin(store_.db());
  if (!tx) return tx.error();
  if (auto used = store_.pairings().mark_used(offer_id, device.id, now); !used) return used;
  if (auto added = store_.devices().add(device); !added) return added;
  return tx->commit();
}

core::Result<OfferStatus> PairingService::status(std::string_view offer_id, TimePoint now) {
  auto offer = store_.pairings().get(offer_id);
  if (!offer) return offer.error();
  if (!*offer) return core::make_error(core::Errc::not_found, "no such pairing offer");
  const auto& p = **offer;
  OfferStatus s;
  if (p.used) {
    s.state = core::PairingState::paired;
    s.device_id = p.device_id;
    if (auto d = store_.devices().get(p.device_id); d && *d) s.device_name = (*d)->name;
    if (auto it = sas_.find(p.id); it != sas_.end()) s.sas = it->second;
  } else {
    s.state = p.expires > now ? core::PairingState::open : core::PairingState::expired;
  }
  return s;
}

}  // namespace tether::daemon
