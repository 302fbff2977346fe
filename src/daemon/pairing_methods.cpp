#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/encoding.hpp"
#include "core/version.hpp"
#include "daemon/daemon_methods.hpp"
#include "daemon/pairing_outcome.hpp"
#include "store/event_store.hpp"

namespace tether::daemon {
namespace {

namespace json = boost::json;
using proto::Field;
using proto::FieldType;

const std::vector<Field> kCreate = {{"name", FieldType::string, false, 64},
                                    {"mode", FieldType::string, false, 16},
                                    {"ttl_seconds", FieldType::integer, false, 0, 1, 3600}};
const std::vector<Field> kStatus = {{"offer_id", FieldType::string, true, 64}};
const std::vector<Field> kConfirm = {{"offer_id", FieldType::string, false, 64}, {"match", FieldType::boolean, true}};

json::object status_json(const OfferStatus& s) {
  json::object o{{"state", core::to_string(s.state)},
                 {"device_id", s.device_id},
                 {"device_name", s.device_name},
                 {"sas", s.sas},
                 {"device_confirmed", s.device_confirmed},
                 {"owner_confirmed", s.owner_confirmed}};
  if (!s.declined_by.empty()) o["declined_by"] = s.declined_by;
  return o;
}

}  // namespace

// The offer a new device needs, as the base64url of a compact JSON object (docs/protocol.md).
std::string encode_offer(const crypto::Identity& identity, const Endpoints& endpoints, const CreatedOffer& offer) {
  json::object o{{"v", 1},
                 {"daemon_id", identity.id()},
                 {"noise_key", core::base64url_encode(identity.x25519_public())},
                 {"relay", endpoints.relay_url},
                 {"direct", endpoints.direct_origin},
                 {"secret", offer.secret}};
  const std::string text = json::serialize(o);
  return core::base64url_encode({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

std::vector<proto::Method> pairing_methods(PairingService& pairing, LiveConnections& connections,
                                           const crypto::Identity& identity, Endpoints endpoints, Clock now) {
  // Pairings whose time to answer ran out are declined before any question about them.
  auto settle_expired = [&pairing, &connections](TimePoint t) {
    for (const auto& settled : pairing.expire(t)) apply_pairing_outcome(settled, connections);
  };
  std::vector<proto::Method> m;
  m.push_back({"pair.create", proto::Permission::owner, kCreate,
               [&pairing, &identity, now, endpoints](const json::object& p, const proto::Caller&) -> core::Result<json::value> {
                 const auto* name = p.if_contains("name");
                 const auto* mode = p.if_contains("mode");
                 const auto* ttl = p.if_contains("ttl_seconds");
                 auto offer = pairing.create(
                     name && name->is_string() ? std::string_view(name->as_string()) : std::string_view(),
                     mode && mode->is_string() ? std::string_view(mode->as_string()) : std::string_view("full"),
                     std::chrono::seconds(ttl && !ttl->is_null() ? ttl->to_number<std::int64_t>() : 300), now());
                 if (!offer) return offer.error();
                 if (endpoints.relay_url.empty() && endpoints.direct_origin.empty()) {
                   return core::make_error(core::Errc::unreachable,
                                           "no device could reach this daemon: configure a relay (--relay) or the direct listener");
                 }
                 const std::string encoded = encode_offer(identity, endpoints, *offer);
                 // The app is served from --app-url when given, else by the relay when there is
                 // one, else by the direct listener.
                 std::string origin = endpoints.direct_origin;
                 if (!endpoints.app_url.empty()) {
                   origin = endpoints.app_url;
                 } else if (!endpoints.relay_url.empty()) {
                   origin = endpoints.relay_url;
                   if (origin.starts_with("wss://")) origin = "https://" + origin.substr(6);
                   else if (origin.starts_with("ws://")) origin = "http://" + origin.substr(5);
                 }
                 return json::value(json::object{{"offer_id", offer->id},
                                                 {"offer", encoded},
                                                 {"link", origin + "/#offer=" + encoded},
                                                 {"mode", offer->mode},
                                                 {"name", offer->name},
                                                 {"expires_at", store::to_unix_ms(offer->expires)}});
               },
               "Creates a one-time pairing offer (link and QR) for a new device."});
  m.push_back({"pair.status", proto::Permission::owner, kStatus,
               [&pairing, now, settle_expired](const json::object& p, const proto::Caller&) -> core::Result<json::value> {
                 const auto t = now();
                 settle_expired(t);
                 auto s = pairing.status(p.at("offer_id").as_string(), t);
                 if (!s) return s.error();
                 return json::value(status_json(*s));
               },
               "Where an offer stands: open, confirming (with the device and SAS), paired, declined or expired."});
  m.push_back({"pair.confirm", proto::Permission::pairing, kConfirm,
               [&pairing, &connections, now, settle_expired](const json::object& p, const proto::Caller& caller) -> core::Result<json::value> {
                 const auto t = now();
                 settle_expired(t);
                 const bool match = p.at("match").as_bool();
                 const auto* offer = p.if_contains("offer_id");
                 const bool owner = caller.role == proto::Role::owner;
                 if (owner && !(offer && offer->is_string())) {
                   return core::make_error(core::Errc::invalid_params, "\"offer_id\" is required");
                 }
                 auto settled = owner ? pairing.confirm_by_owner(offer->as_string(), match, t)
                                      : pairing.confirm_by_device(caller.device_id, caller.connection_id, match, t);
                 if (!settled) return settled.error();
                 apply_pairing_outcome(*settled, connections);
                 return json::value(json::object{{"state", core::to_string(settled->state)}, {"device_id", settled->device_id}});
               },
               "One end's answer to the SAS comparison of a pairing: the owner for an offer, a device on its pairing connection."});
  return m;
}

}  // namespace tether::daemon
