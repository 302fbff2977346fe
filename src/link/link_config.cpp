#include "link/link_config.hpp"

#include <boost/json/parse.hpp>

#include <fmt/format.h>

namespace tether::link {

namespace json = boost::json;

namespace {
core::Error bad(std::string message) { return core::make_error(core::Errc::bad_config, std::move(message)); }
}  // namespace

core::Result<LinkSettings> parse_config_json(std::string_view text) {
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec) return bad(fmt::format("not valid JSON: {}", ec.message()));
  if (!value.is_object()) return bad("the top level must be an object");
  LinkSettings out;
  for (const auto& [key, v] : value.as_object()) {
    if (key != "relay") return bad(fmt::format("unknown key \"{}\" (known: \"relay\")", std::string_view(key)));
    if (v.is_null()) continue;
    if (!v.is_object()) return bad("\"relay\" must be an object");
    for (const auto& [k, field] : v.as_object()) {
      if (k == "url") {
        if (!field.is_string()) return bad("\"relay.url\" must be a string");
        out.url = std::string(field.as_string());
      } else if (k == "ca_file") {
        if (!field.is_string()) return bad("\"relay.ca_file\" must be a string");
        out.ca_file = std::string(field.as_string());
      } else if (k == "backoff_max_seconds") {
        if (!field.is_number()) return bad("\"relay.backoff_max_seconds\" must be a number");
        const double s = field.to_number<double>();
        if (!(s >= 0.1 && s <= 3600)) return bad("\"relay.backoff_max_seconds\" must be between 0.1 and 3600");
        out.backoff_max_seconds = s;
      } else {
        return bad(fmt::format("unknown key \"relay.{}\" (known: url, ca_file, backoff_max_seconds)", std::string_view(k)));
      }
    }
  }
  return out;
}

}  // namespace tether::link
