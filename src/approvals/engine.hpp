// The approval engine: what a tool call needs before it runs. Pure logic — a tool
// call, the session's mode, the stored rules and the session's grants in; a verdict
// out. The daemon does the asking, the waiting and the storing.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/approval_terms.hpp"
#include "core/session_mode.hpp"

namespace tether::approvals {

// How much a tool can do. safe: reads only; standard: edits files; elevated: runs
// commands; unknown: MCP tools and anything not in the table.
enum class Tier { safe, standard, elevated, unknown };
// A session's mode (core/session_mode.hpp says what each one lets run).
using Mode = core::SessionMode;

Tier classify(std::string_view tool);
std::string_view to_string(Tier tier);

// A tool call as the engine sees it.
struct ToolCall {
  std::string tool;     // provider's tool name ("Bash", "Write", "mcp__srv__x", ...)
  std::string command;  // for elevated (shell) tools: the command line; else empty
  std::string cwd;      // the session's working directory (absolute)
};

// A stored "always" rule (table `rules`). pattern: "" matches any call of the tool;
// for shell tools "exact:<command>" or "prefix:<command prefix>".
struct Rule {
  std::int64_t id = 0;
  std::string project_dir;  // absolute; applies to calls whose cwd is it or inside it
  std::string tool;
  std::string pattern;
  core::ApprovalDecision decision = core::ApprovalDecision::allow;
};

// "Allow for this session" grants, kept in memory by the session: same shape as a rule
// without a directory.
struct Grant {
  std::string tool;
  std::string pattern;
};

enum class Verdict { allow, deny, ask };

struct Decision {
  Verdict verdict = Verdict::ask;
  // Who decided, for events and the audit: "tier:safe", "mode:edits", "mode:auto",
  // "rule:<id>", "session", or "" when asking.
  std::string by;
  std::optional<std::int64_t> rule_id;
};

// Order: safe → allow; a matching deny rule → deny; a matching allow rule → allow; a
// session grant → allow; the mode; otherwise ask.
Decision decide(const ToolCall& call, Mode mode, std::span<const Rule> rules, std::span<const Grant> grants);

// Does `rule`/`grant` cover `call`? (tool equal; directory equal or a parent; pattern.)
bool rule_matches(const Rule& rule, const ToolCall& call);
bool grant_matches(const Grant& grant, const ToolCall& call);

// The pattern an "always"/"session" answer stores for `call`: "exact:<command>" for a
// shell tool, "" otherwise. `prefix` (optional, shell tools only) asks for
// "prefix:<prefix>" instead; it must be a prefix of the command.
std::optional<std::string> pattern_for(const ToolCall& call, std::optional<std::string_view> prefix);

// Is `pattern` well formed for `tool`? ("" or exact:/prefix: with a non-empty rest for
// shell tools, "" for the others.)
bool valid_pattern(std::string_view tool, std::string_view pattern);

}  // namespace tether::approvals
