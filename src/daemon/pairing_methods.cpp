#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/encoding.hpp"
#include "core/version.hpp"
#include "daemon/daemon_methods.hpp"
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

std::vector<proto::Method> pairing_methods(PairingService& pairing, const crypto::Identity& identity, Endpoints endpoints,
                                           Clock now) {
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
               [&pairing, now](const json::object& p, const proto::Caller&) -> core::Result<json::value> {
                 auto s = pairing.status(p.at("offer_id").as_string(), now());
                 if (!s) return s.error();
                 return json::value(json::object{{"state", core::to_string(s->state)},
                                                 {"device_id", s->device_id},
                                                 {"device_name", s->device_name},
                                                 {"sas", s->sas}});
               },
               "Whether an offer is still open, was used (with the device and SAS), or expired."});
  return m;
}

}  // namespace tether::daemon
