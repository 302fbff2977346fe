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

namespace {

std::int64_t unix_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

core::Result<void> write_private(const std::filesystem::path& path, const std::string& text) {
  return core::atomic_write_file(path, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, 0600);
}

core::Result<std::string> read_private(const std::filesystem::path& path) {
  if (auto ok = core::check_private(path, false); !ok) return ok.error();
  return core::read_file(path, 4096);
}

void remove_rotation_files(const core::HomePaths& home) {
  std::error_code ec;
  std::filesystem::remove(home.key_rotation(), ec);
  std::filesystem::remove(home.previous_daemon_key(), ec);
}

}  // namespace

core::Result<Identities> load_identities(const core::HomePaths& home, std::chrono::system_clock::time_point now) {
  auto current = load_or_create_identity(home.daemon_key());
  if (!current) return current.error();
  Identities ids{std::move(*current), std::nullopt, std::nullopt, std::nullopt};
  std::error_code ec;
  if (!std::filesystem::exists(home.key_rotation(), ec)) {
    if (std::filesystem::exists(home.previous_daemon_key(), ec)) {
      return core::make_error(core::Errc::corrupt_key, fmt::format("{} is there without {}; move it away", home.previous_daemon_key().string(),
                                                                   home.key_rotation().string()));
    }
    return ids;
  }
  auto corrupt = [&](std::string_view why) {
    return core::make_error(core::Errc::corrupt_key, fmt::format("{}: {}; move it and {} away to end the rotation (devices "
                                                                 "still on the old key will then have to pair again)",
                                                                 home.key_rotation().string(), why, home.previous_daemon_key().string()));
  };
  auto text = read_private(home.key_rotation());
  if (!text) return text.error();
  auto rotation = crypto::decode_rotation_file(*text);
  if (!rotation) return corrupt(rotation.error().message);
  if (rotation->old_id == ids.current.id()) {
    // `tether key rotate` stopped before daemon.key was replaced: nothing was rotated.
    spdlog::warn("an unfinished key rotation was found and dropped; daemon.key is unchanged");
    remove_rotation_files(home);
    return ids;
  }
  if (rotation->new_id != ids.current.id()) return corrupt("it names another key than daemon.key");
  if (rotation->deadline_ms <= unix_ms(now)) {
    remove_rotation_files(home);
    spdlog::info("key rotation: the deadline passed; the previous identity {} is gone", rotation->old_id);
    ids.retired = std::move(*rotation);
    return ids;
  }
  auto previous_text = read_private(home.previous_daemon_key());
  if (!previous_text) return previous_text.error();
  auto previous = crypto::Identity::decode_file(*previous_text);
  if (!previous || previous->id() != rotation->old_id) return corrupt("daemon.previous.key is not the key that signed it");
  ids.previous = std::move(*previous);
  ids.rotation = std::move(*rotation);
  return ids;
}

core::Result<crypto::KeyRotation> rotate_identity(const core::HomePaths& home, std::chrono::seconds grace,
                                                  std::chrono::system_clock::time_point now) {
  std::error_code ec;
  if (!std::filesystem::exists(home.daemon_key(), ec)) {
    return core::make_error(core::Errc::not_found, fmt::format("no identity to rotate: {} does not exist", home.daemon_key().string()));
  }
  auto ids = load_identities(home, now);
  if (!ids) return ids.error();
  if (ids->rotation) {
    return core::make_error(core::Errc::exists, fmt::format("a key rotation is under way until {} (unix ms); rotate again after it",
                                                            ids->rotation->deadline_ms));
  }
  const auto next = crypto::Identity::generate();
  auto rotation = crypto::sign_rotation(ids->current, next, unix_ms(now + grace));
  if (auto r = write_private(home.previous_daemon_key(), ids->current.encode_file()); !r) return r.error();
  if (auto r = write_private(home.key_rotation(), crypto::encode_rotation_file(rotation)); !r) return r.error();
  if (auto r = write_private(home.daemon_key(), next.encode_file()); !r) return r.error();
  return rotation;
}

}  // namespace tether::daemon
