// libFuzzer: one request line through proto::Dispatcher (JSON-RPC parsing, the method
// table, the caller's role, the params schema, the handler) — what the daemon does with
// each line a device or the local socket sends. The table is small and covers every
// field type and permission; its handler echoes the params, fails, or throws. Checks:
// every answer is one valid-UTF-8 JSON-RPC response carrying the request's id, with
// exactly one of result and error; a result comes only from a known method the caller may
// call, with params that fit its schema; an error's code is one the protocol defines.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <spdlog/spdlog.h>

#include "core/errc.hpp"
#include "proto/dispatcher.hpp"
#include "proto/jsonrpc.hpp"
#include "proto/schema.hpp"

namespace {

namespace json = boost::json;
using namespace tether;
using proto::Field;
using proto::FieldType;

// Echoes params; {"fail": true} answers not_found, {"throw": true} throws.
core::Result<json::value> handler(const json::object& params, const proto::Caller&) {
  if (const auto* f = params.if_contains("fail"); f && f->is_bool() && f->as_bool()) {
    return core::make_error(core::Errc::not_found, "no such thing");
  }
  if (const auto* t = params.if_contains("throw"); t && t->is_bool() && t->as_bool()) {
    throw std::runtime_error("disk on fire");
  }
  return json::value(params);
}

std::vector<proto::Method> table() {
  return {
      {"session.list", proto::Permission::read, {{"limit", FieldType::integer, false, 4096, 1, 500}, {"fail", FieldType::boolean}}, handler, ""},
      {"session.send", proto::Permission::write,
       {{"session_id", FieldType::string, true, 64}, {"text", FieldType::string, true, 1024}, {"throw", FieldType::boolean}}, handler, ""},
      {"session.start", proto::Permission::write,
       {{"provider", FieldType::string, true, 32}, {"env", FieldType::object, false, 8}, {"args", FieldType::array, false, 4},
        {"cols", FieldType::integer, false, 4096, 10, 1000}},
       handler, ""},
      {"device.revoke", proto::Permission::owner, {{"device_id", FieldType::string, true, 64}}, handler, ""},
      {"ping", proto::Permission::read, {}, handler, ""},
  };
}

const proto::Dispatcher& dispatcher() {
  static const proto::Dispatcher d = [] {
    spdlog::set_level(spdlog::level::off);
    return proto::Dispatcher(table());
  }();
  return d;
}

bool known_code(std::int64_t code) {
  using namespace proto::rpc_code;
  return code == kParseError || code == kInvalidRequest || code == kMethodNotFound || code == kInvalidParams ||
         code == kInternalError || code == kServerError || code == kPermissionDenied || code == kNotFound;
}

// `params` fits `m`'s schema: every member named, every required one there, each of its type.
bool fits(const json::object& params, const proto::Method& m) {
  for (const auto& kv : params) {
    bool named = false;
    for (const Field& f : m.params) named = named || f.name == kv.key();
    if (!named) return false;
  }
  for (const Field& f : m.params) {
    const json::value* v = params.if_contains(f.name);
    if (!v || v->is_null()) {
      if (f.required) return false;
      continue;
    }
    switch (f.type) {
      case FieldType::string: if (!v->is_string() || v->as_string().size() > f.max_size) return false; break;
      case FieldType::integer: {
        if (!v->is_int64() && !v->is_uint64()) return false;
        if (v->is_uint64() && v->as_uint64() > static_cast<std::uint64_t>(f.max)) return false;
        if (v->is_int64() && (v->as_int64() < f.min || v->as_int64() > f.max)) return false;
        break;
      }
      case FieldType::boolean: if (!v->is_bool()) return false; break;
      case FieldType::object: if (!v->is_object() || v->as_object().size() > f.max_size) return false; break;
      case FieldType::array: if (!v->is_array() || v->as_array().size() > f.max_size) return false; break;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  proto::Caller caller;
  caller.role = static_cast<proto::Role>(data[0] % 3);
  const std::string_view line(reinterpret_cast<const char*>(data + 1), size - 1);

  const std::string answer = dispatcher().handle(line, caller);
  json::parse_options strict;
  strict.allow_invalid_utf8 = false;
  boost::system::error_code ec;
  const json::value v = json::parse(answer, ec, {}, strict);
  if (ec || !v.is_object()) __builtin_trap();
  const json::object& o = v.as_object();
  const auto* ver = o.if_contains("jsonrpc");
  if (!ver || !ver->is_string() || ver->as_string() != "2.0") __builtin_trap();
  const json::value* id = o.if_contains("id");
  if (!id) __builtin_trap();
  const json::value* result = o.if_contains("result");
  const json::value* error = o.if_contains("error");
  if ((result == nullptr) == (error == nullptr) || o.size() != 3) __builtin_trap();

  const proto::ParseOutcome parsed = proto::parse_request(line);
  if (const auto* f = std::get_if<proto::RpcFailure>(&parsed)) {
    // Refused before any method was looked up: exactly the parser's answer.
    if (answer != proto::make_error(*f) || result) __builtin_trap();
    return 0;
  }
  const proto::Request& req = std::get<proto::Request>(parsed);
  if (*id != req.id) __builtin_trap();
  if (result) {
    const proto::Method* m = dispatcher().find(req.method);
    if (!m || !proto::role_allows(caller.role, m->permission) || !fits(req.params, *m)) __builtin_trap();
    if (*result != json::value(req.params)) __builtin_trap();
    return 0;
  }
  if (!error->is_object()) __builtin_trap();
  const auto* code = error->as_object().if_contains("code");
  const auto* message = error->as_object().if_contains("message");
  if (!code || !code->is_int64() || !known_code(code->as_int64())) __builtin_trap();
  if (!message || !message->is_string() || message->as_string().empty()) __builtin_trap();
  return 0;
}
