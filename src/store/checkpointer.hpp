// Copies the write-ahead log back into the database file on a thread of its own. Left to
// itself SQLite does that inside whichever commit takes the log past 1,000 pages: it
// writes those pages into the database and syncs it, tens of milliseconds on a slow disk,
// on the daemon's loop thread. Here the loop's connection only asks (a WAL hook), and a
// second connection runs a PASSIVE checkpoint, which never blocks a writer or reader.
// Durability does not change: a commit is durable once it is in the synced log.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "core/result.hpp"
#include "store/database.hpp"

namespace tether::store {

class Checkpointer {
 public:
  // The log size, in pages, past which a commit asks for a checkpoint (SQLite's default).
  static constexpr int kPages = 1000;

  // Opens its own connection to the database at `path` (already in WAL mode).
  static core::Result<std::unique_ptr<Checkpointer>> start(const std::filesystem::path& path);
  ~Checkpointer();  // finishes a checkpoint under way, then stops
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Wakes the thread for one checkpoint; never blocks. Thread-safe.
  void request();
  // Checkpoints completed so far.
  std::uint64_t runs() const { return runs_.load(); }

 private:
  explicit Checkpointer(Database db);
  void run();

  Database db_;  // used by the thread only
  std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool stopping_ = false;
  std::atomic<std::uint64_t> runs_{0};
  std::thread thread_;
};

}  // namespace tether::store
