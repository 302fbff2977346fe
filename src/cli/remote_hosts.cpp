#include "cli/remote_hosts.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "core/files.hpp"

namespace tether::cli {

namespace json = boost::json;

std::filesystem::path remotes_file(const core::HomePaths& home) { return home.dir / "remotes.json"; }

core::Result<RemoteHosts> load_remote_hosts(const core::HomePaths& home) {
  const auto path = remotes_file(home);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return RemoteHosts{};
  if (auto ok = core::check_private(path, false); !ok) return ok.error();
  auto text = core::read_file(path, 1024 * 1024);
  if (!text) return text.error();
  boost::system::error_code jec;
  json::value v = json::parse(*text, jec);
  if (jec || !v.is_object()) return core::make_error(core::Errc::corrupt, fmt::format("{} is not a JSON object", path.string()));
  RemoteHosts hosts;
  for (const auto& [name, entry] : v.as_object()) {
    if (!entry.is_object()) return core::make_error(core::Errc::corrupt, fmt::format("{}: entry \"{}\" is not an object", path.string(), std::string(name)));
    const auto& o = entry.as_object();
    auto get = [&](std::string_view k) {
      const auto* f = o.if_contains(k);
      return f && f->is_string() ? std::string(f->as_string()) : std::string();
    };
    hosts[std::string(name)] = RemoteHost{get("daemon_id"), get("noise_key"), get("relay"), get("direct"),
                                          get("device_secret"), get("device_id"), get("mode"), get("relay_ca")};
  }
  return hosts;
}

core::Result<void> save_remote_hosts(const core::HomePaths& home, const RemoteHosts& hosts) {
  if (auto ok = core::ensure_private_dir(home.dir); !ok) return ok;
  json::object root;
  for (const auto& [name, h] : hosts) {
    root[name] = json::object{{"daemon_id", h.daemon_id}, {"noise_key", h.noise_key}, {"relay", h.relay},
                              {"direct", h.direct}, {"device_secret", h.device_secret}, {"device_id", h.device_id},
                              {"mode", h.mode}, {"relay_ca", h.relay_ca}};
  }
  const std::string text = json::serialize(root) + "\n";
  return core::atomic_write_file(remotes_file(home), {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, 0600);
}

core::Result<RemoteHost> remote_host_named(const core::HomePaths& home, const std::string& name) {
  auto hosts = load_remote_hosts(home);
  if (!hosts) return hosts.error();
  const auto it = hosts->find(name);
  if (it == hosts->end()) return core::make_error(core::Errc::unknown_host, "no remote host named \"" + name + "\" (see `tether remote ls`)");
  return it->second;
}

core::Result<void> adopt_rotation(const core::HomePaths& home, const std::string& name, const crypto::KeyRotation& rotation) {
  auto hosts = load_remote_hosts(home);
  if (!hosts) return hosts.error();
  const auto it = hosts->find(name);
  if (it == hosts->end() || it->second.daemon_id != rotation.old_id || !rotation.verify()) {
    return core::make_error(core::Errc::bad_signature, "the daemon's new key is not signed by the key this CLI paired with");
  }
  it->second.daemon_id = rotation.new_id;
  it->second.noise_key = rotation.noise_key;
  return save_remote_hosts(home, *hosts);
}

}  // namespace tether::cli
