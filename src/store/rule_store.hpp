// "Always" rules (table `rules`): per project directory and tool, with a pattern for shell commands.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/approval_terms.hpp"
#include "core/result.hpp"
#include "store/database.hpp"
#include "store/event_store.hpp"

namespace tether::store {

struct RuleRow {
  std::int64_t id = 0;
  std::string project_dir;
  std::string tool;
  std::string pattern;
  core::ApprovalDecision decision = core::ApprovalDecision::allow;
  std::string created_by;
  TimePoint created;
};

class RuleStore {
 public:
  explicit RuleStore(Database& db) : db_(db) {}

  // Returns the new id; adding an identical rule (dir, tool, pattern, decision) returns the existing id.
  // The directory must be absolute; it is stored lexically normal without a trailing slash.
  core::Result<std::int64_t> add(const RuleRow& row);
  core::Result<std::vector<RuleRow>> list();
  // Rules whose project_dir is `dir` or one of its parents ("/a/b" is not a parent of "/a/bc";
  // "/" is everyone's), oldest first.
  core::Result<std::vector<RuleRow>> for_dir(std::string_view dir);
  // Error "not_found" when no rule has this id.
  core::Result<void> remove(std::int64_t id);

 private:
  core::Result<std::vector<RuleRow>> query(std::string_view where, std::string_view arg);
  Database& db_;
};

}  // namespace tether::store
