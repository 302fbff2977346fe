#include "proto/dispatcher.hpp"

#include <algorithm>
#include <exception>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "core/utf8.hpp"
#include "proto/jsonrpc.hpp"

namespace tether::proto {
namespace {

int rpc_code_for(core::Errc code) {
  switch (code) {
    case core::Errc::invalid_params: return rpc_code::kInvalidParams;
    case core::Errc::not_found: return rpc_code::kNotFound;
    case core::Errc::permission_denied: return rpc_code::kPermissionDenied;
    default: return rpc_code::kServerError;
  }
}

}  // namespace

bool role_allows(Role role, Permission permission) {
  switch (permission) {
    case Permission::pairing: return true;
    case Permission::read: return role != Role::pending;
    case Permission::write: return role == Role::full || role == Role::owner;
    case Permission::owner: return role == Role::owner;
  }
  return false;
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::pending: return "pending";
    case Role::read_only: return "read_only";
    case Role::full: return "full";
    case Role::owner: return "owner";
  }
  return "?";
}

Dispatcher::Dispatcher(std::vector<Method> methods) : methods_(std::move(methods)) {
  std::sort(methods_.begin(), methods_.end(), [](const Method& a, const Method& b) { return a.name < b.name; });
  for (std::size_t i = 1; i < methods_.size(); ++i) {
    if (methods_[i].name == methods_[i - 1].name) throw std::logic_error("method registered twice: " + methods_[i].name);
  }
}

const Method* Dispatcher::find(std::string_view name) const {
  auto it = std::lower_bound(methods_.begin(), methods_.end(), name,
                             [](const Method& m, std::string_view n) { return m.name < n; });
  return (it != methods_.end() && it->name == name) ? &*it : nullptr;
}

std::string Dispatcher::handle(std::string_view line, const Caller& caller) const {
  ParseOutcome parsed = parse_request(line);
  if (auto* f = std::get_if<RpcFailure>(&parsed)) return make_error(*f);
  const Request& req = std::get<Request>(parsed);

  const Method* m = find(req.method);
  if (!m) {
    return make_error({req.id, rpc_code::kMethodNotFound, "unknown method \"" + std::string(core::cut_utf8(req.method, 128)) + "\"", std::nullopt});
  }
  if (!role_allows(caller.role, m->permission)) {
    return make_error({req.id, rpc_code::kPermissionDenied,
                       req.method + " is not allowed for a " + std::string(role_name(caller.role)) + " caller",
                       core::Errc::permission_denied});
  }
  if (auto v = validate(req.params, m->params); !v) {
    return make_error({req.id, rpc_code::kInvalidParams, v.error().message, v.error().code});
  }
  try {
    auto result = m->handler(req.params, caller);
    if (!result) {
      const auto& e = result.error();
      return make_error({req.id, rpc_code_for(e.code), e.message, e.code});
    }
    return make_result(req.id, result.value());
  } catch (const std::exception& e) {
    // A handler's I/O failure answers this request only; the connection and the daemon go on.
    spdlog::error("{} failed: {}", req.method, e.what());
    return make_error({req.id, rpc_code::kInternalError, "internal error in " + req.method, core::Errc::internal});
  }
}

}  // namespace tether::proto
