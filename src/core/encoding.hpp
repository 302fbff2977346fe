// Text encodings of bytes: base64url without padding (ids, keys, offers) and hex.
// Decoders reject anything that is not canonical.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace tether::core {

using Bytes = std::vector<std::uint8_t>;

std::string base64url_encode(std::span<const std::uint8_t> data);
Result<Bytes> base64url_decode(std::string_view text);

std::string hex_encode(std::span<const std::uint8_t> data);
Result<Bytes> hex_decode(std::string_view text);

}  // namespace tether::core
