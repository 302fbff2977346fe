// bench_fill_events HOME N: writes one session with N events of realistic sizes (text
// deltas, tool calls, tool results, final texts) straight into HOME/tether.db, in
// batches, and prints the session id. The daemon then serves them like any others.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/home.hpp"
#include "store/store.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: bench_fill_events HOME N\n");
    return 2;
  }
  namespace store = tether::store;
  const tether::core::HomePaths home{argv[1]};
  const long n = std::strtol(argv[2], nullptr, 10);
  auto db = store::Store::open(home.database());
  if (!db) {
    std::fprintf(stderr, "%s\n", db.error().message.c_str());
    return 1;
  }
  const auto now = std::chrono::system_clock::now();
  const std::string id = "sbench" + std::to_string(n);
  if (auto ok = (*db)->sessions().create({id, "bench", "claude", "/tmp", "ask", "exited", "", "{}", now, now}); !ok) {
    std::fprintf(stderr, "%s\n", ok.error().message.c_str());
    return 1;
  }
  const std::string delta = R"({"text":"Let me look at the failing test first. ","index":0})";
  const std::string call = R"({"tool_use_id":"toolu_0123456789abcdef01234567","tool":"Bash","input":{"command":"cd src && grep -rn \"parse_request\" --include=*.cpp . | head -50","description":"Find the callers"}})";
  const std::string result = R"({"tool_use_id":"toolu_0123456789abcdef01234567","content":")" + std::string(1800, 'r') + R"(","is_error":false})";
  const std::string text = R"({"text":")" + std::string(480, 't') + R"(","message_id":"msg_0123456789abcdef01234567"})";
  std::vector<store::NewEvent> batch;
  for (long i = 0; i < n; ++i) {
    // Per 20 events: 16 deltas, 1 text, 1 call, 1 result, 1 delta.
    const long k = i % 20;
    if (k == 16) batch.push_back({id, "assistant_text", text});
    else if (k == 17) batch.push_back({id, "tool_call", call});
    else if (k == 18) batch.push_back({id, "tool_result", result});
    else batch.push_back({id, "assistant_delta", delta});
    if (batch.size() == 10000 || i + 1 == n) {
      if (auto ok = (*db)->events().append_batch(batch, now); !ok) {
        std::fprintf(stderr, "%s\n", ok.error().message.c_str());
        return 1;
      }
      batch.clear();
    }
  }
  std::printf("%s\n", id.c_str());
  return 0;
}
