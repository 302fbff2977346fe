#include "approvals/engine.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <utility>

namespace tether::approvals {
namespace {

struct ToolTier {
  std::string_view tool;
  Tier tier;
};

// Every tool the engine knows, by provider name (Claude Code's first, then Codex's and
// OpenCode's). Names are matched exactly; anything absent — MCP tools ("mcp__…"),
// WebFetch, Task — is unknown and always asks. The elevated tools are the shell tools:
// their calls carry a command line, which rule patterns match.
constexpr std::array kTools = {
    // safe: reads, searches, the agent's own notes.
    ToolTier{"Read", Tier::safe},
    ToolTier{"Glob", Tier::safe},
    ToolTier{"Grep", Tier::safe},
    ToolTier{"LS", Tier::safe},
    ToolTier{"WebSearch", Tier::safe},
    ToolTier{"NotebookRead", Tier::safe},
    ToolTier{"TodoWrite", Tier::safe},
    ToolTier{"TodoRead", Tier::safe},
    ToolTier{"BashOutput", Tier::safe},
    ToolTier{"ExitPlanMode", Tier::safe},
    ToolTier{"read", Tier::safe},
    ToolTier{"glob", Tier::safe},
    ToolTier{"grep", Tier::safe},
    ToolTier{"list", Tier::safe},
    // standard: change files.
    ToolTier{"Write", Tier::standard},
    ToolTier{"Edit", Tier::standard},
    ToolTier{"MultiEdit", Tier::standard},
    ToolTier{"NotebookEdit", Tier::standard},
    ToolTier{"edit", Tier::standard},
    ToolTier{"write", Tier::standard},
    ToolTier{"patch", Tier::standard},
    ToolTier{"apply_patch", Tier::standard},
    ToolTier{"file_change", Tier::standard},
    // elevated: run commands (the shell tools).
    ToolTier{"Bash", Tier::elevated},
    ToolTier{"KillShell", Tier::elevated},
    ToolTier{"bash", Tier::elevated},
    ToolTier{"shell", Tier::elevated},
    ToolTier{"exec", Tier::elevated},
    ToolTier{"command_execution", Tier::elevated},
    ToolTier{"local_shell", Tier::elevated},
};

constexpr std::string_view kExact = "exact:";
constexpr std::string_view kPrefix = "prefix:";

bool is_shell(std::string_view tool) { return classify(tool) == Tier::elevated; }

// A directory in the form the comparison uses: lexically normal ("/a/./b/../c" is
// "/a/c") and without a trailing slash, so "/" becomes "".
std::string comparable_dir(std::string_view dir) {
  auto text = std::filesystem::path(dir).lexically_normal().string();
  while (!text.empty() && text.back() == '/') text.pop_back();
  return text;
}

// `dir` is `cwd` or one of its parents, at a "/" boundary: "/a/b" covers "/a/b" and
// "/a/b/c", not "/a/bc"; "/" covers every absolute path. Both must be absolute.
bool dir_covers(std::string_view dir, std::string_view cwd) {
  if (!dir.starts_with('/') || !cwd.starts_with('/')) return false;
  const auto d = comparable_dir(dir);
  const auto c = comparable_dir(cwd);
  return c == d || (c.starts_with(d) && c[d.size()] == '/');
}

// Text after a prefix that would make the command do more than the prefix says: a
// second command, a substitution or a redirection. An allowing prefix never covers it.
bool chains_another_command(std::string_view rest) {
  return rest.find_first_of(";&|`$<>\n\r") != std::string_view::npos;
}

// `allowing`: the pattern lets the call run (an allow rule or a grant), so a prefix
// is read narrowly; a deny rule's prefix is read as written.
bool pattern_matches(std::string_view pattern, std::string_view command, bool allowing) {
  if (pattern.empty()) return true;
  if (pattern.starts_with(kExact)) {
    const auto exact = pattern.substr(kExact.size());
    return !exact.empty() && command == exact;
  }
  if (pattern.starts_with(kPrefix)) {
    const auto prefix = pattern.substr(kPrefix.size());
    if (prefix.empty() || !command.starts_with(prefix)) return false;
    const auto rest = command.substr(prefix.size());
    if (!rest.empty() && rest.front() != ' ') return false;  // "git" is not a prefix of "gitx"
    return !allowing || !chains_another_command(rest);
  }
  return false;  // malformed: matches nothing
}

bool covers(std::string_view tool, std::string_view pattern, const ToolCall& call, bool allowing) {
  return tool == call.tool && pattern_matches(pattern, call.command, allowing);
}

}  // namespace

Tier classify(std::string_view tool) {
  const auto* it = std::find_if(kTools.begin(), kTools.end(), [&](const ToolTier& t) { return t.tool == tool; });
  return it == kTools.end() ? Tier::unknown : it->tier;
}

std::string_view to_string(Tier tier) {
  switch (tier) {
    case Tier::safe: return "safe";
    case Tier::standard: return "standard";
    case Tier::elevated: return "elevated";
    case Tier::unknown: return "unknown";
  }
  return "unknown";
}

bool rule_matches(const Rule& rule, const ToolCall& call) {
  return dir_covers(rule.project_dir, call.cwd) &&
         covers(rule.tool, rule.pattern, call, rule.decision != core::ApprovalDecision::deny);
}

bool grant_matches(const Grant& grant, const ToolCall& call) {
  return covers(grant.tool, grant.pattern, call, true);
}

Decision decide(const ToolCall& call, Mode mode, std::span<const Rule> rules, std::span<const Grant> grants) {
  const Tier tier = classify(call.tool);
  if (tier == Tier::safe) return {Verdict::allow, "tier:safe", std::nullopt};

  const auto first_rule = [&](core::ApprovalDecision decision) -> const Rule* {
    const auto it = std::find_if(rules.begin(), rules.end(),
                                 [&](const Rule& r) { return r.decision == decision && rule_matches(r, call); });
    return it == rules.end() ? nullptr : &*it;
  };
  using core::ApprovalDecision;
  if (const Rule* deny = first_rule(ApprovalDecision::deny)) return {Verdict::deny, "rule:" + std::to_string(deny->id), deny->id};
  if (const Rule* allow = first_rule(ApprovalDecision::allow)) return {Verdict::allow, "rule:" + std::to_string(allow->id), allow->id};

  if (std::any_of(grants.begin(), grants.end(), [&](const Grant& g) { return grant_matches(g, call); })) {
    return {Verdict::allow, "session", std::nullopt};
  }

  if (tier == Tier::standard && mode == Mode::edits) return {Verdict::allow, "mode:edits", std::nullopt};
  if ((tier == Tier::standard || tier == Tier::elevated) && mode == Mode::automatic) {
    return {Verdict::allow, "mode:auto", std::nullopt};
  }
  return {Verdict::ask, "", std::nullopt};
}

std::optional<std::string> pattern_for(const ToolCall& call, std::optional<std::string_view> prefix) {
  if (!is_shell(call.tool)) {
    if (prefix) return std::nullopt;
    return std::string();
  }
  // A shell call with no command cannot be pinned down; "" would cover every call of the tool.
  if (call.command.empty()) return std::nullopt;
  if (!prefix) return std::string(kExact) + call.command;
  auto pattern = std::string(kPrefix) + std::string(*prefix);
  // The prefix must cover this very command, at a word boundary and without chaining.
  if (!pattern_matches(pattern, call.command, true)) return std::nullopt;
  return pattern;
}

bool valid_pattern(std::string_view tool, std::string_view pattern) {
  if (pattern.empty()) return true;
  if (!is_shell(tool)) return false;
  for (std::string_view kind : {kExact, kPrefix}) {
    if (pattern.starts_with(kind)) return pattern.size() > kind.size();
  }
  return false;
}

}  // namespace tether::approvals
