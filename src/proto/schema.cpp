#include "core/utf8.hpp"
#include "proto/schema.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace tether::proto {
namespace {

std::string_view type_name(FieldType t) {
  switch (t) {
    case FieldType::string: return "a string";
    case FieldType::integer: return "an integer";
    case FieldType::boolean: return "a boolean";
    case FieldType::object: return "an object";
    case FieldType::array: return "an array";
  }
  return "?";
}

core::Error invalid(std::string message) { return core::make_error(core::Errc::invalid_params, std::move(message)); }

core::Result<void> check_field(const Field& f, const boost::json::value& v) {
  switch (f.type) {
    case FieldType::string:
      if (!v.is_string()) break;
      if (v.as_string().size() > f.max_size) return invalid(fmt::format("\"{}\" is longer than {} bytes", f.name, f.max_size));
      return {};
    case FieldType::integer: {
      std::int64_t n = 0;
      if (v.is_int64()) n = v.as_int64();
      else if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) n = static_cast<std::int64_t>(v.as_uint64());
      else break;
      if (n < f.min || n > f.max) return invalid(fmt::format("\"{}\" must be between {} and {}", f.name, f.min, f.max));
      return {};
    }
    case FieldType::boolean:
      if (!v.is_bool()) break;
      return {};
    case FieldType::object:
      if (!v.is_object()) break;
      if (v.as_object().size() > f.max_size) return invalid(fmt::format("\"{}\" has more than {} members", f.name, f.max_size));
      return {};
    case FieldType::array:
      if (!v.is_array()) break;
      if (v.as_array().size() > f.max_size) return invalid(fmt::format("\"{}\" has more than {} items", f.name, f.max_size));
      return {};
  }
  return invalid(fmt::format("\"{}\" must be {}", f.name, type_name(f.type)));
}

}  // namespace

core::Result<void> validate(const boost::json::object& params, Schema schema) {
  for (const auto& kv : params) {
    const auto key = kv.key();
    const bool known = std::any_of(schema.begin(), schema.end(), [&](const Field& f) { return f.name == key; });
    if (!known) return invalid(fmt::format("unknown parameter \"{}\"", core::cut_utf8(key, 64)));
  }
  for (const Field& f : schema) {
    const auto* v = params.if_contains(f.name);
    if (!v || v->is_null()) {
      if (f.required) return invalid(fmt::format("missing required parameter \"{}\"", f.name));
      continue;
    }
    if (auto r = check_field(f, *v); !r) return r;
  }
  return {};
}

}  // namespace tether::proto
