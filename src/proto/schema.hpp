// Parameter schemas for RPC methods and the validator that checks a params
// object against one: types, required fields, sizes, ranges, unknown names.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <limits>
#include <span>
#include <string_view>

#include "core/result.hpp"

namespace tether::proto {

enum class FieldType { string, integer, boolean, object, array };

struct Field {
  std::string_view name;
  FieldType type;
  bool required = false;
  std::size_t max_size = 4096;  // bytes for strings, items for arrays, members for objects
  std::int64_t min = std::numeric_limits<std::int64_t>::min();
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
};

using Schema = std::span<const Field>;

// Errors carry code "invalid_params" and a message naming the field.
core::Result<void> validate(const boost::json::object& params, Schema schema);

}  // namespace tether::proto
