// JSON-RPC 2.0 messages as tether speaks them: parsing one request line into a
// Request or a ready error, and building responses. Pure; no I/O.
#pragma once

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/errc.hpp"

namespace tether::proto {

namespace json = boost::json;

// Standard JSON-RPC codes plus tether's own server-error range.
namespace rpc_code {
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kServerError = -32000;      // data.code says which
inline constexpr int kPermissionDenied = -32001;
inline constexpr int kNotFound = -32004;
}  // namespace rpc_code

struct Request {
  json::value id;  // string or integer
  std::string method;
  json::object params;
};

struct RpcFailure {
  json::value id;  // null when the request's id could not be read
  int code;
  std::string message;
  std::optional<core::Errc> data_code;  // machine-readable reason, sent as error.data.code (its wire name)
};

using ParseOutcome = std::variant<Request, RpcFailure>;

// Accepts one JSON-RPC request object. Refuses batches, notifications (tether
// requires an id), invalid UTF-8, nesting deeper than 32, and params that are
// not an object.
ParseOutcome parse_request(std::string_view line);

std::string make_result(const json::value& id, const json::value& result);
std::string make_error(const RpcFailure& failure);
std::string make_request(const json::value& id, std::string_view method, const json::object& params);
// A message from the daemon that answers no request (no id): session events and the like.
std::string make_notification(std::string_view method, const json::object& params);

}  // namespace tether::proto
