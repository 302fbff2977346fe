#include "providers/common/json_lines.hpp"

#include <boost/json/parse.hpp>

#include "core/utf8.hpp"
#include "proto/json_checks.hpp"

namespace tether::providers::common {
namespace json = boost::json;

std::string_view trim_line(std::string_view line) {
  const auto first = line.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return line.substr(first, line.find_last_not_of(" \t\r\n") - first + 1);
}

std::optional<json::object> parse_object(std::string_view line, unsigned max_depth, LoneSurrogates surrogates) {
  json::parse_options options;
  options.max_depth = max_depth;
  boost::system::error_code ec;
  json::value parsed = json::parse(line, ec, {}, options);
  if (ec && surrogates == LoneSurrogates::repair &&
      (line.find("\\ud") != std::string_view::npos || line.find("\\uD") != std::string_view::npos)) {
    parsed = json::parse(core::replace_lone_surrogates(line), ec, {}, options);
  }
  json::object* object = ec ? nullptr : parsed.if_object();
  if (!object) return std::nullopt;
  proto::null_non_finite(parsed);
  return std::move(*object);
}

}  // namespace tether::providers::common
