// The one place that routes a JSON-RPC request to its handler: looks the method
// up in the table, checks the caller's role against the method's permission,
// validates params against the schema, then calls the handler.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "proto/schema.hpp"

namespace tether::proto {

// What a method needs.
enum class Permission {
  pairing,  // any caller, including a device whose pairing is not confirmed yet
  read,     // any paired device, including read_only ones
  write,  // full devices and the owner
  owner,  // the local socket only
};

// Who is calling.
// `pending`: a device between its pairing handshake and the confirmation of the SAS.
enum class Role { pending, read_only, full, owner };

bool role_allows(Role role, Permission permission);
std::string_view role_name(Role role);

struct Caller {
  Role role = Role::read_only;
  std::string device_id;  // empty for the owner
  std::uint64_t connection_id = 0;
};

// A handler's error code maps to a JSON-RPC code: "invalid_params" → -32602,
// "not_found" → -32004, "permission_denied" → -32001, anything else → -32000;
// the code is also sent as error.data.code.
using Handler = std::function<core::Result<boost::json::value>(const boost::json::object& params, const Caller& caller)>;

struct Method {
  std::string name;
  Permission permission;
  std::vector<Field> params;
  Handler handler;
  std::string summary;
};

class Dispatcher {
 public:
  // Sorts the table by name; two methods with one name is a programming error (throws std::logic_error).
  explicit Dispatcher(std::vector<Method> methods);

  // Returns the response line (without '\n').
  std::string handle(std::string_view line, const Caller& caller) const;

  const std::vector<Method>& methods() const { return methods_; }
  const Method* find(std::string_view name) const;

 private:
  std::vector<Method> methods_;
};

}  // namespace tether::proto
