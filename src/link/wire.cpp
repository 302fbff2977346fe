#include "link/wire.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>

namespace tether::link {

namespace json = boost::json;

namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

core::Error bad(std::string message) { return core::make_error(core::Errc::bad_message, std::move(message)); }

// The object must hold "type" plus exactly `fields`, each a string.
core::Result<std::vector<std::string>> string_fields(const json::object& o, std::initializer_list<std::string_view> fields) {
  if (o.size() != fields.size() + 1) return bad("unexpected or missing fields");
  std::vector<std::string> out;
  for (auto name : fields) {
    const auto* v = o.if_contains(name);
    if (!v || !v->is_string()) return bad(fmt::format("field \"{}\" must be a string", name));
    out.emplace_back(v->as_string());
  }
  return out;
}

}  // namespace

std::string encode(const LinkMessage& message) {
  return json::serialize(std::visit(
      Overloaded{
          [](const Challenge& m) { return json::object{{"type", "challenge"}, {"nonce", m.nonce}}; },
          [](const Hello& m) {
            return json::object{{"type", "hello"}, {"daemon_id", m.daemon_id}, {"signature", m.signature}};
          },
          [](const Linked&) { return json::object{{"type", "linked"}}; },
          [](const Accept& m) { return json::object{{"type", "accept"}, {"token", m.token}}; },
      },
      message));
}

core::Result<LinkMessage> parse_link_message(std::string_view text) {
  if (text.size() > kMaxLinkMessageBytes) return bad("message too long");
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 4;
  auto value = json::parse(text, ec, {}, opts);
  if (ec || !value.is_object()) return bad("not a JSON object");
  const auto& o = value.as_object();
  const auto* type = o.if_contains("type");
  if (!type || !type->is_string()) return bad("missing \"type\"");
  const std::string_view t = type->as_string();
  if (t == "challenge") {
    auto f = string_fields(o, {"nonce"});
    if (!f) return f.error();
    return LinkMessage{Challenge{(*f)[0]}};
  }
  if (t == "hello") {
    auto f = string_fields(o, {"daemon_id", "signature"});
    if (!f) return f.error();
    return LinkMessage{Hello{(*f)[0], (*f)[1]}};
  }
  if (t == "linked") {
    if (o.size() != 1) return bad("unexpected fields");
    return LinkMessage{Linked{}};
  }
  if (t == "accept") {
    auto f = string_fields(o, {"token"});
    if (!f) return f.error();
    return LinkMessage{Accept{(*f)[0]}};
  }
  return bad("unknown message type");
}

core::Bytes link_signed_bytes(std::span<const std::uint8_t> nonce) {
  core::Bytes out(kLinkContext.begin(), kLinkContext.end());
  out.push_back(0);
  out.insert(out.end(), nonce.begin(), nonce.end());
  return out;
}

}  // namespace tether::link
