#include "crypto/key_rotation.hpp"

#include <charconv>
#include <vector>

#include "core/encoding.hpp"

namespace tether::crypto {
namespace {

constexpr std::string_view kFileMagic = "tether-key-rotation v1\n";
constexpr std::string_view kStatementMagic = "tether-key-rotation/1\n";

std::span<const std::uint8_t> bytes_of(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

}  // namespace

std::string KeyRotation::statement() const {
  return std::string(kStatementMagic) + old_id + "\n" + new_id + "\n" + noise_key + "\n" + std::to_string(deadline_ms) + "\n";
}

bool KeyRotation::verify() const {
  auto key = core::base64url_decode(old_id);
  auto sig = core::base64url_decode(signature);
  if (!key || key->size() != 32 || !sig || sig->size() != 64) return false;
  const std::string text = statement();
  return Identity::verify(std::span<const std::uint8_t, 32>(key->data(), 32), bytes_of(text),
                          std::span<const std::uint8_t, 64>(sig->data(), 64));
}

KeyRotation sign_rotation(const Identity& old_identity, const Identity& new_identity, std::int64_t deadline_ms) {
  KeyRotation r{old_identity.id(), new_identity.id(), core::base64url_encode(new_identity.x25519_public()), deadline_ms, ""};
  const std::string text = r.statement();
  r.signature = core::base64url_encode(old_identity.sign(bytes_of(text)));
  return r;
}

std::string encode_rotation_file(const KeyRotation& r) {
  return std::string(kFileMagic) + r.old_id + "\n" + r.new_id + "\n" + r.noise_key + "\n" + std::to_string(r.deadline_ms) + "\n" +
         r.signature + "\n";
}

core::Result<KeyRotation> decode_rotation_file(std::string_view text) {
  auto corrupt = [](std::string_view why) { return core::make_error(core::Errc::corrupt, std::string(why)); };
  if (!text.starts_with(kFileMagic)) return corrupt("not a key rotation file");
  text.remove_prefix(kFileMagic.size());
  std::vector<std::string_view> lines;
  while (!text.empty() && lines.size() < 6) {
    const auto nl = text.find('\n');
    if (nl == std::string_view::npos) return corrupt("a line is not terminated");
    lines.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  if (lines.size() != 5 || !text.empty()) return corrupt("the file does not hold exactly five lines after its first");
  KeyRotation r{std::string(lines[0]), std::string(lines[1]), std::string(lines[2]), 0, std::string(lines[4])};
  const auto d = lines[3];
  auto [end, ec] = std::from_chars(d.data(), d.data() + d.size(), r.deadline_ms);
  if (ec != std::errc() || end != d.data() + d.size() || r.deadline_ms <= 0) return corrupt("the deadline is not a time");
  if (!r.verify()) return corrupt("the signature does not verify");
  return r;
}

}  // namespace tether::crypto
