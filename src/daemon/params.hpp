// Small helpers for method handlers: reading params the schema has already checked,
// and naming the caller in the audit log.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/approval_terms.hpp"
#include "proto/dispatcher.hpp"

namespace tether::daemon {

// "owner" for the local socket, else the device id.
inline std::string actor_of(const proto::Caller& caller) { return caller.device_id.empty() ? "owner" : caller.device_id; }
// The same caller as the one who resolved an approval.
inline core::Decider decider_of(const proto::Caller& caller) {
  return caller.device_id.empty() ? core::Decider::of(core::Decider::Kind::owner) : core::Decider::device(caller.device_id);
}

inline std::string str_param(const boost::json::object& params, std::string_view key, std::string_view fallback = "") {
  const auto* v = params.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string(fallback);
}

inline std::int64_t int_param(const boost::json::object& params, std::string_view key, std::int64_t fallback) {
  const auto* v = params.if_contains(key);
  return v && v->is_int64() ? v->as_int64() : fallback;
}

}  // namespace tether::daemon
