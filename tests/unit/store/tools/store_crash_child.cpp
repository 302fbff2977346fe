// Appends events to <db> as fast as it can, printing each seq to stdout only
// after append() has reported it durable. The crash test kill -9s it.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "store/store.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: store_crash_child DB SESSION\n");
    return 2;
  }
  auto store = tether::store::Store::open(argv[1]);
  if (!store) {
    std::fprintf(stderr, "open: %s\n", store.error().message.c_str());
    return 1;
  }
  const std::string session = argv[2];
  std::vector<tether::store::NewEvent> batch;
  for (long i = 0;; ++i) {
    const auto now = std::chrono::system_clock::now();
    const std::string data = "{\"i\":" + std::to_string(i) + "}";
    if (i % 3 == 0) {
      // every third round appends a batch of four in one transaction
      batch.assign(4, tether::store::NewEvent{session, "test", data});
      auto seqs = (*store)->events().append_batch(batch, now);
      if (!seqs) return 1;
      for (auto s : *seqs) std::printf("%lld\n", static_cast<long long>(s));
    } else {
      auto seq = (*store)->events().append(session, "test", data, now);
      if (!seq) return 1;
      std::printf("%lld\n", static_cast<long long>(*seq));
    }
    std::fflush(stdout);
  }
}
