#include "proto/jsonrpc.hpp"

#include <boost/json/parse.hpp>

#include "core/utf8.hpp"
#include "proto/json_checks.hpp"

namespace tether::proto {
namespace {

constexpr std::size_t kMaxMethodName = 128;
constexpr std::size_t kMaxStringId = 128;

RpcFailure failure(json::value id, int code, std::string message) {
  return RpcFailure{std::move(id), code, std::move(message), std::nullopt};
}

}  // namespace

ParseOutcome parse_request(std::string_view line) {
  json::parse_options opts;
  opts.max_depth = 32;
  opts.allow_invalid_utf8 = false;
  boost::system::error_code ec;
  json::value v = json::parse(line, ec, {}, opts);
  if (ec) return failure(nullptr, rpc_code::kParseError, "parse error: " + ec.message());
  if (count_non_finite(v) > 0) return failure(nullptr, rpc_code::kParseError, "parse error: a number is too large for a double");
  if (v.is_array()) return failure(nullptr, rpc_code::kInvalidRequest, "batch requests are not supported; send one request per line");
  if (!v.is_object()) return failure(nullptr, rpc_code::kInvalidRequest, "a request must be a JSON object");
  json::object& obj = v.as_object();

  json::value id = nullptr;
  if (const auto* idv = obj.if_contains("id")) {
    if (idv->is_int64() || idv->is_uint64()) {
      id = *idv;
    } else if (idv->is_string() && idv->as_string().size() <= kMaxStringId) {
      id = *idv;
    } else {
      return failure(nullptr, rpc_code::kInvalidRequest, "id must be an integer or a string of at most 128 bytes");
    }
  }
  const auto* ver = obj.if_contains("jsonrpc");
  if (!ver || !ver->is_string() || ver->as_string() != "2.0") {
    return failure(id, rpc_code::kInvalidRequest, "\"jsonrpc\" must be \"2.0\"");
  }
  const auto* method = obj.if_contains("method");
  if (!method || !method->is_string() || method->as_string().empty()) {
    return failure(id, rpc_code::kInvalidRequest, "\"method\" must be a non-empty string");
  }
  if (method->as_string().size() > kMaxMethodName) return failure(id, rpc_code::kInvalidRequest, "\"method\" is too long");
  if (id.is_null()) return failure(nullptr, rpc_code::kInvalidRequest, "\"id\" is required (notifications are not accepted)");
  for (const auto& kv : obj) {
    const auto k = kv.key();
    if (k != "jsonrpc" && k != "id" && k != "method" && k != "params") {
      return failure(id, rpc_code::kInvalidRequest, "unexpected member \"" + std::string(core::cut_utf8(k, 64)) + "\"");
    }
  }
  Request req{id, std::string(method->as_string()), {}};
  if (const auto* params = obj.if_contains("params")) {
    if (params->is_object()) {
      req.params = params->as_object();
    } else if (!params->is_null()) {
      return failure(id, rpc_code::kInvalidParams, "params must be an object");
    }
  }
  return req;
}

std::string make_result(const json::value& id, const json::value& result) {
  json::object o;
  o["jsonrpc"] = "2.0";
  o["id"] = id;
  o["result"] = result;
  return serialize_utf8(o);
}

std::string make_error(const RpcFailure& f) {
  json::object err;
  err["code"] = f.code;
  err["message"] = f.message;
  if (f.data_code) err["data"] = json::object{{"code", core::to_string(*f.data_code)}};
  json::object o;
  o["jsonrpc"] = "2.0";
  o["id"] = f.id;
  o["error"] = std::move(err);
  return serialize_utf8(o);
}

std::string make_request(const json::value& id, std::string_view method, const json::object& params) {
  json::object o;
  o["jsonrpc"] = "2.0";
  o["id"] = id;
  o["method"] = method;
  o["params"] = params;
  return serialize_utf8(o);
}

std::string make_notification(std::string_view method, const json::object& params) {
  json::object o;
  o["jsonrpc"] = "2.0";
  o["method"] = method;
  o["params"] = params;
  return serialize_utf8(o);
}

}  // namespace tether::proto
