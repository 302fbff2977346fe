// libFuzzer: the head of an HTTP request as the direct listener and the relay read it
// (net::parse_request_head: Beast's parser as the server configures it, then tether's
// checks), and the Host and Origin checks the daemon applies to what it yields. The
// first byte says where a read might have cut the bytes. Checks: a cut either leaves the
// request incomplete or gives exactly what the whole bytes give; a refusal is 400 or 431;
// a request that passes has one Host (or none in HTTP/1.0), header values without CR, LF
// or NUL, and a valid key when it is a WebSocket upgrade; host_name is idempotent, and a
// Host it cannot read is never allowed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "net/host_check.hpp"
#include "net/request_head.hpp"

namespace {

using namespace tether::net;

constexpr std::size_t kMaxHeader = 2048;

bool clean(std::string_view s) { return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos; }

bool same(const HeadOutcome& a, const HeadOutcome& b) {
  if (a.index() != b.index()) return false;
  if (const auto* x = std::get_if<HeadRefusal>(&a)) {
    const auto& y = std::get<HeadRefusal>(b);
    return x->status == y.status && x->body == y.body && x->event == y.event;
  }
  if (const auto* x = std::get_if<RequestHead>(&a)) {
    const auto& y = std::get<RequestHead>(b);
    return x->version == y.version && x->keep_alive == y.keep_alive && x->head == y.head &&
           x->request.method == y.request.method && x->request.target == y.request.target &&
           x->request.host == y.request.host && x->request.origin == y.request.origin &&
           x->request.websocket == y.request.websocket;
  }
  return true;
}

void check_host(std::string_view host, std::string_view origin) {
  const std::string name = host_name(host);
  if (!name.empty() && host_name(name) != name) __builtin_trap();
  const HostAllowlist list{{".example.com", "tether.test"}};
  if (name.empty() && host_allowed(host, list)) __builtin_trap();
  if (origin.empty() && !origin_allowed(origin, host)) __builtin_trap();
  (void)origin_allowed(origin, host);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  std::size_t used = 0;
  const HeadOutcome whole = parse_request_head(bytes, kMaxHeader, used);
  if (used > bytes.size()) __builtin_trap();

  const std::size_t cut = bytes.empty() ? 0 : data[0] * bytes.size() / 256;
  std::size_t used_cut = 0;
  const HeadOutcome part = parse_request_head(bytes.substr(0, cut), kMaxHeader, used_cut);
  if (!std::holds_alternative<HeadIncomplete>(part) && (!same(part, whole) || used_cut != used)) __builtin_trap();

  if (const auto* refusal = std::get_if<HeadRefusal>(&whole)) {
    if (refusal->status != 400 && refusal->status != 431) __builtin_trap();
    return 0;
  }
  const auto* head = std::get_if<RequestHead>(&whole);
  if (!head) return 0;
  const HttpRequest& req = head->request;
  if (head->version != 10 && head->version != 11) __builtin_trap();
  if (req.method.empty() || req.target.empty()) __builtin_trap();
  if (!clean(req.method) || !clean(req.target) || !clean(req.host) || !clean(req.origin)) __builtin_trap();
  if (head->head != (req.method == "HEAD")) __builtin_trap();
  check_host(req.host, req.origin);
  return 0;
}
