// bench_fill_events HOME N [SESSIONS [SPAN_DAYS]]: writes SESSIONS sessions (default 1)
// of N events each, of realistic sizes (text deltas, tool calls, tool results, final
// texts), straight into HOME/tether.db in batched transactions, and prints the newest
// session's id. With SPAN_DAYS the sessions' times are spread evenly over that many days
// before now (oldest first), so a retention prune has something to delete. The daemon
// then serves them like any others.
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "core/home.hpp"
#include "store/store.hpp"

namespace {

namespace store = tether::store;

constexpr std::size_t kBatch = 10000;

struct Mix {
  std::string delta = R"({"text":"Let me look at the failing test first. ","index":0})";
  std::string call = R"({"tool_use_id":"toolu_0123456789abcdef01234567","tool":"Bash","input":{"command":"cd src && grep -rn \"parse_request\" --include=*.cpp . | head -50","description":"Find the callers"}})";
  std::string result = R"({"tool_use_id":"toolu_0123456789abcdef01234567","content":")" + std::string(1800, 'r') + R"(","is_error":false})";
  std::string text = R"({"text":")" + std::string(480, 't') + R"(","message_id":"msg_0123456789abcdef01234567"})";

  // Per 20 events: 16 deltas, 1 text, 1 call, 1 result, 1 delta. Assigned in place, so
  // the strings keep their buffers from batch to batch.
  void set(store::NewEvent& e, const std::string& session, long i) const {
    e.session_id = session;
    switch (i % 20) {
      case 16: e.kind = "assistant_text", e.data = text; break;
      case 17: e.kind = "tool_call", e.data = call; break;
      case 18: e.kind = "tool_result", e.data = result; break;
      default: e.kind = "assistant_delta", e.data = delta;
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 5) {
    std::fprintf(stderr, "usage: bench_fill_events HOME EVENTS_PER_SESSION [SESSIONS [SPAN_DAYS]]\n");
    return 2;
  }
  // SQLite allocates and frees a large block per insert (the statement journal's page
  // bitmap, sized by the database); keep glibc from giving it back to the kernel each time.
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  const tether::core::HomePaths home{argv[1]};
  const long n = std::strtol(argv[2], nullptr, 10);
  const long sessions = argc > 3 ? std::strtol(argv[3], nullptr, 10) : 1;
  const double span_days = argc > 4 ? std::strtod(argv[4], nullptr) : 0;
  if (n < 0 || sessions < 1 || span_days < 0) {
    std::fprintf(stderr, "bench_fill_events: bad sizes\n");
    return 2;
  }
  auto db = store::Store::open(home.database());
  if (!db) {
    std::fprintf(stderr, "%s\n", db.error().message.c_str());
    return 1;
  }
  // A filler's own durability does not matter: no fsync per transaction.
  if (auto ok = (*db)->db().exec("PRAGMA synchronous = OFF"); !ok) {
    std::fprintf(stderr, "%s\n", ok.error().message.c_str());
    return 1;
  }
  const auto now = std::chrono::system_clock::now();
  const std::chrono::duration<double, std::ratio<86400>> span(span_days);
  const Mix mix;
  std::vector<store::NewEvent> batch(kBatch);
  std::size_t used = 0;
  std::string id;
  // Sessions go in oldest first, so the last one written is the most recently active.
  for (long s = 0; s < sessions; ++s) {
    // Zero-padded, so ids sort in the order they are written and the inserts append.
    char name[48];
    std::snprintf(name, sizeof name, "sb%07ldx%ld", s, n);
    id = sessions == 1 ? "sbench" + std::to_string(n) : name;
    const auto when = now - std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                span * (1.0 - static_cast<double>(s) / static_cast<double>(sessions)));
    if (auto ok = (*db)->sessions().create({id, "bench", tether::core::ProviderType::claude, "/tmp", tether::core::SessionMode::ask,
                                                tether::core::SessionStatus::exited, "", "{}", when, when}); !ok) {
      std::fprintf(stderr, "%s\n", ok.error().message.c_str());
      return 1;
    }
    for (long i = 0; i < n; ++i) {
      mix.set(batch[used++], id, i);
      // A batch holds one session's events (they share its time).
      if (used == kBatch || i + 1 == n) {
        if (auto ok = (*db)->events().append_batch(std::span(batch).first(used), when); !ok) {
          std::fprintf(stderr, "%s\n", ok.error().message.c_str());
          return 1;
        }
        used = 0;
      }
    }
  }
  std::printf("%s\n", id.c_str());
  return 0;
}
