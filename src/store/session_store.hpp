// Sessions (table `sessions`): one row per agent session; its events live in the event log.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/provider_type.hpp"
#include "core/result.hpp"
#include "core/session_mode.hpp"
#include "core/session_status.hpp"
#include "store/database.hpp"
#include "store/event_store.hpp"

namespace tether::store {

struct SessionRow {
  std::string id;
  std::string name;
  core::ProviderType provider = core::ProviderType::claude;
  std::string cwd;
  core::SessionMode mode = core::SessionMode::ask;
  core::SessionStatus status = core::SessionStatus::starting;
  std::string provider_session_id;  // what the provider resumes by (Claude's session id); may be empty
  std::string config;               // JSON object text (model, ...)
  TimePoint created;
  TimePoint updated;
};

// A row of the session list: the session and the seq of its last event (0: none yet).
struct SessionSummary {
  SessionRow row;
  std::int64_t last_seq = 0;
};

class SessionStore {
 public:
  explicit SessionStore(Database& db) : db_(db) {}

  core::Result<void> create(const SessionRow& row);
  core::Result<std::optional<SessionRow>> get(std::string_view id);
  // Newest activity first, at most `limit`.
  core::Result<std::vector<SessionRow>> list(std::size_t limit);
  // The same, each with its last seq, in one query.
  core::Result<std::vector<SessionSummary>> list_summaries(std::size_t limit);
  // Reads fail with "corrupt" when a row holds a provider, mode or status this build does not know.
  // Each: error "not_found" when no session has this id; all set `updated` to `now`.
  core::Result<void> set_status(std::string_view id, core::SessionStatus status, TimePoint now);
  core::Result<void> set_mode(std::string_view id, core::SessionMode mode, TimePoint now);
  core::Result<void> set_provider_session_id(std::string_view id, std::string_view provider_session_id, TimePoint now);
  core::Result<void> touch(std::string_view id, TimePoint now);

 private:
  // UPDATE … SET <assignment>updated_at = now WHERE id = ?1, with `value` as ?2 ("" or "x = ?2, ").
  // not_found when no row changed.
  core::Result<void> update_one(std::string_view assignment, std::string_view id, std::string_view value, TimePoint now);
  Database& db_;
};

}  // namespace tether::store
