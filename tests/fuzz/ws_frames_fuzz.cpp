// libFuzzer: the WebSocket frame reader (what a relay or daemon reads from any client on
// the internet) fed arbitrary bytes in pieces whose sizes come from the input, the way
// reads split them. Checks: it never takes more than it was given, never delivers a
// message over the limit, stops at its first error, and gives the same events however
// the bytes are split.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "net/ws_frame.hpp"

namespace {

using tether::net::WsFrameReader;
using tether::net::WsInput;

constexpr std::size_t kMax = 64 << 10;

// "kind:binary:code:data" per event, reading `bytes` in pieces of the sizes in `cuts`
// (cycled; 0 means all that is held).
std::vector<std::string> run(std::string_view bytes, std::string_view cuts) {
  WsFrameReader reader(kMax);
  std::vector<std::string> events;
  std::string held;
  std::size_t pos = 0;
  std::size_t turn = 0;
  while (pos < bytes.size()) {
    std::size_t piece = cuts.empty() ? bytes.size() : static_cast<unsigned char>(cuts[turn++ % cuts.size()]) * 13 + 1;
    if (piece > bytes.size() - pos) piece = bytes.size() - pos;
    held.append(bytes.substr(pos, piece));
    pos += piece;
    for (;;) {
      std::size_t used = 0;
      WsInput in = reader.next(held, used);
      if (used > held.size()) __builtin_trap();
      held.erase(0, used);
      if (in.kind == WsInput::Kind::need_more) {
        if (used != 0) __builtin_trap();
        break;
      }
      if (in.kind == WsInput::Kind::message && in.data.size() > kMax) __builtin_trap();
      if (in.kind == WsInput::Kind::fragment) continue;
      events.push_back(std::to_string(static_cast<int>(in.kind)) + ":" + std::to_string(in.binary) + ":" +
                       std::to_string(in.code) + ":" + in.data);
      if (in.kind == WsInput::Kind::error) return events;
    }
  }
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t ncuts = data[0] % 8;
  if (size < 1 + ncuts) return 0;
  const std::string_view cuts(reinterpret_cast<const char*>(data + 1), ncuts);
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1 + ncuts), size - 1 - ncuts);
  if (run(bytes, cuts) != run(bytes, {})) __builtin_trap();
  return 0;
}
