#include "daemon/identity_file.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/files.hpp"

namespace tether::daemon {

core::Result<crypto::Identity> load_or_create_identity(const std::filesystem::path& key_file) {
  std::error_code ec;
  if (!std::filesystem::exists(key_file, ec)) {
    auto id = crypto::Identity::generate();
    const std::string text = id.encode_file();
    auto written = core::atomic_write_file(
        key_file, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, 0600);
    if (!written) return written.error();
    spdlog::info("created daemon identity {} in {}", id.id(), key_file.string());
    return id;
  }
  if (auto ok = core::check_private(key_file, false); !ok) return ok.error();
  auto text = core::read_file(key_file, 4096);
  if (!text) {
    if (text.error().code == core::Errc::too_large) return core::make_error(core::Errc::corrupt_key, fmt::format("{} is corrupt: too large", key_file.string()));
    return text.error();
  }
  auto id = crypto::Identity::decode_file(*text);
  if (!id) {
    return core::make_error(core::Errc::corrupt_key,
                            fmt::format("{} is corrupt ({}); it is not replaced automatically — move it away to create a new "
                                                  "identity (paired devices will then have to pair again)",
                                                  key_file.string(), id.error().message));
  }
  return id;
}

}  // namespace tether::daemon
