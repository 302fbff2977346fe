// The daemon's relay settings from $TETHER_HOME/config.json (the file is optional):
//   {"relay": {"url": "wss://relay.example:443", "ca_file": "/path/ca.pem", "backoff_max_seconds": 30}}
// Unknown keys are refused, so a typo is an error instead of a silent default. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tether::link {

struct LinkSettings {
  std::optional<std::string> url;
  std::optional<std::string> ca_file;
  std::optional<double> backoff_max_seconds;
};

// Error code "bad_config", naming the key.
core::Result<LinkSettings> parse_config_json(std::string_view text);

}  // namespace tether::link
