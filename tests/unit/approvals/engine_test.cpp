#include "approvals/engine.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace tether::approvals {
namespace {

ToolCall call(std::string tool, std::string command = "", std::string cwd = "/home/u/proj") {
  return ToolCall{std::move(tool), std::move(command), std::move(cwd)};
}

Rule rule(std::int64_t id, std::string dir, std::string tool, std::string pattern,
          core::ApprovalDecision decision = core::ApprovalDecision::allow) {
  return Rule{id, std::move(dir), std::move(tool), std::move(pattern), decision};
}

Decision decide_with(const ToolCall& c, Mode mode, const std::vector<Rule>& rules = {},
                     const std::vector<Grant>& grants = {}) {
  return decide(c, mode, rules, grants);
}

// --- tiers -------------------------------------------------------------------------

TEST(Classify, ClaudeCodeTools) {
  for (const char* t : {"Read", "Glob", "Grep", "LS", "WebSearch", "NotebookRead", "TodoWrite", "TodoRead", "BashOutput",
                        "ExitPlanMode"}) {
    EXPECT_EQ(classify(t), Tier::safe) << t;
  }
  for (const char* t : {"Write", "Edit", "MultiEdit", "NotebookEdit"}) EXPECT_EQ(classify(t), Tier::standard) << t;
  for (const char* t : {"Bash", "KillShell"}) EXPECT_EQ(classify(t), Tier::elevated) << t;
}

TEST(Classify, CodexAndOpenCodeTools) {
  for (const char* t : {"read", "glob", "grep", "list"}) EXPECT_EQ(classify(t), Tier::safe) << t;
  for (const char* t : {"edit", "write", "patch", "apply_patch", "file_change"}) {
    EXPECT_EQ(classify(t), Tier::standard) << t;
  }
  for (const char* t : {"bash", "shell", "exec", "command_execution", "local_shell"}) {
    EXPECT_EQ(classify(t), Tier::elevated) << t;
  }
}

TEST(Classify, EverythingElseIsUnknown) {
  for (const char* t : {"WebFetch", "Task", "mcp__github__create_issue", "mcp__fs__read", "", "BASH", "read ", "Reads",
                        "webfetch"}) {
    EXPECT_EQ(classify(t), Tier::unknown) << t;
  }
}

TEST(Names, TiersAndModes) {
  EXPECT_EQ(to_string(Tier::safe), "safe");
  EXPECT_EQ(to_string(Tier::standard), "standard");
  EXPECT_EQ(to_string(Tier::elevated), "elevated");
  EXPECT_EQ(to_string(Tier::unknown), "unknown");
  EXPECT_EQ(to_string(Mode::ask), "ask");
  EXPECT_EQ(to_string(Mode::edits), "edits");
  EXPECT_EQ(to_string(Mode::automatic), "auto");
  EXPECT_EQ(core::parse_session_mode("ask"), Mode::ask);
  EXPECT_EQ(core::parse_session_mode("edits"), Mode::edits);
  EXPECT_EQ(core::parse_session_mode("auto"), Mode::automatic);
  EXPECT_EQ(core::parse_session_mode("automatic"), std::nullopt);
  EXPECT_EQ(core::parse_session_mode("Ask"), std::nullopt);
  EXPECT_EQ(core::parse_session_mode(""), std::nullopt);
}

// --- modes -------------------------------------------------------------------------

TEST(Decide, SafeIsAllowedInEveryMode) {
  for (Mode m : {Mode::ask, Mode::edits, Mode::automatic}) {
    auto d = decide_with(call("Read"), m);
    EXPECT_EQ(d.verdict, Verdict::allow);
    EXPECT_EQ(d.by, "tier:safe");
    EXPECT_FALSE(d.rule_id);
  }
}

TEST(Decide, SafeWinsEvenOverADenyRule) {
  auto d = decide_with(call("Grep"), Mode::ask, {rule(1, "/", "Grep", "", core::ApprovalDecision::deny)});
  EXPECT_EQ(d.verdict, Verdict::allow);
  EXPECT_EQ(d.by, "tier:safe");
}

TEST(Decide, AskModeAsksForEverythingNotSafe) {
  for (const char* t : {"Write", "Bash", "mcp__x__y", "WebFetch"}) {
    auto d = decide_with(call(t, std::string(t) == "Bash" ? "ls" : ""), Mode::ask);
    EXPECT_EQ(d.verdict, Verdict::ask) << t;
    EXPECT_EQ(d.by, "") << t;
    EXPECT_FALSE(d.rule_id) << t;
  }
}

TEST(Decide, EditsModeAllowsStandardOnly) {
  auto edit = decide_with(call("Edit"), Mode::edits);
  EXPECT_EQ(edit.verdict, Verdict::allow);
  EXPECT_EQ(edit.by, "mode:edits");
  EXPECT_EQ(decide_with(call("apply_patch"), Mode::edits).by, "mode:edits");
  EXPECT_EQ(decide_with(call("Bash", "ls"), Mode::edits).verdict, Verdict::ask);
  EXPECT_EQ(decide_with(call("mcp__a__b"), Mode::edits).verdict, Verdict::ask);
}

TEST(Decide, AutoModeAllowsStandardAndElevated) {
  auto write = decide_with(call("Write"), Mode::automatic);
  EXPECT_EQ(write.verdict, Verdict::allow);
  EXPECT_EQ(write.by, "mode:auto");
  auto bash = decide_with(call("Bash", "rm -rf build"), Mode::automatic);
  EXPECT_EQ(bash.verdict, Verdict::allow);
  EXPECT_EQ(bash.by, "mode:auto");
}

TEST(Decide, UnknownAsksEvenInAuto) {
  for (const char* t : {"mcp__github__merge", "WebFetch", "Task", "SomethingNew"}) {
    auto d = decide_with(call(t), Mode::automatic);
    EXPECT_EQ(d.verdict, Verdict::ask) << t;
    EXPECT_EQ(d.by, "") << t;
  }
}

// --- rules and grants ----------------------------------------------------------------

TEST(Decide, AllowRuleCoversACallInAskMode) {
  auto d = decide_with(call("Bash", "make test"), Mode::ask, {rule(7, "/home/u/proj", "Bash", "exact:make test")});
  EXPECT_EQ(d.verdict, Verdict::allow);
  EXPECT_EQ(d.by, "rule:7");
  EXPECT_EQ(d.rule_id, 7);
}

TEST(Decide, DenyRuleBeatsAllowRuleWhateverTheOrder) {
  const std::vector<Rule> rules = {rule(1, "/home/u/proj", "Bash", "prefix:git"),
                                   rule(2, "/home/u", "Bash", "prefix:git push", core::ApprovalDecision::deny)};
  auto d = decide_with(call("Bash", "git push origin main"), Mode::ask, rules);
  EXPECT_EQ(d.verdict, Verdict::deny);
  EXPECT_EQ(d.by, "rule:2");
  EXPECT_EQ(d.rule_id, 2);
  // the allow rule still covers what the deny rule does not
  auto status = decide_with(call("Bash", "git status"), Mode::ask, rules);
  EXPECT_EQ(status.verdict, Verdict::allow);
  EXPECT_EQ(status.by, "rule:1");
}

TEST(Decide, DenyRuleBeatsAutoModeAndGrants) {
  const std::vector<Rule> rules = {rule(3, "/", "Write", "", core::ApprovalDecision::deny)};
  const std::vector<Grant> grants = {Grant{"Write", ""}};
  auto d = decide_with(call("Write"), Mode::automatic, rules, grants);
  EXPECT_EQ(d.verdict, Verdict::deny);
  EXPECT_EQ(d.by, "rule:3");
}

TEST(Decide, AllowRuleComesBeforeGrantAndMode) {
  auto d = decide_with(call("Edit"), Mode::edits, {rule(4, "/home/u/proj", "Edit", "")}, {Grant{"Edit", ""}});
  EXPECT_EQ(d.by, "rule:4");
}

TEST(Decide, GrantAllowsForTheSession) {
  auto d = decide_with(call("Bash", "npm test"), Mode::ask, {}, {Grant{"Bash", "exact:npm test"}});
  EXPECT_EQ(d.verdict, Verdict::allow);
  EXPECT_EQ(d.by, "session");
  EXPECT_FALSE(d.rule_id);
  EXPECT_EQ(decide_with(call("Bash", "npm publish"), Mode::ask, {}, {Grant{"Bash", "exact:npm test"}}).verdict,
            Verdict::ask);
}

TEST(Decide, GrantComesBeforeMode) {
  auto d = decide_with(call("Write"), Mode::edits, {}, {Grant{"Write", ""}});
  EXPECT_EQ(d.by, "session");
}

TEST(Decide, RuleOrGrantCoversAnUnknownTool) {
  auto by_rule = decide_with(call("mcp__db__query"), Mode::ask, {rule(9, "/home", "mcp__db__query", "")});
  EXPECT_EQ(by_rule.verdict, Verdict::allow);
  EXPECT_EQ(by_rule.by, "rule:9");
  auto by_grant = decide_with(call("WebFetch"), Mode::automatic, {}, {Grant{"WebFetch", ""}});
  EXPECT_EQ(by_grant.verdict, Verdict::allow);
  EXPECT_EQ(by_grant.by, "session");
}

TEST(Decide, RulesForOtherToolsOrDirsDoNotApply) {
  const std::vector<Rule> rules = {rule(1, "/home/u/proj", "Write", ""), rule(2, "/home/u/other", "Edit", "")};
  EXPECT_EQ(decide_with(call("Edit"), Mode::ask, rules).verdict, Verdict::ask);
}

// --- directories ---------------------------------------------------------------------

TEST(RuleMatches, DirectoryIsTheCwdOrAParentAtASlash) {
  const Rule r = rule(1, "/a/b", "Write", "");
  EXPECT_TRUE(rule_matches(r, call("Write", "", "/a/b")));
  EXPECT_TRUE(rule_matches(r, call("Write", "", "/a/b/c")));
  EXPECT_TRUE(rule_matches(r, call("Write", "", "/a/b/c/d")));
  EXPECT_FALSE(rule_matches(r, call("Write", "", "/a/bc")));
  EXPECT_FALSE(rule_matches(r, call("Write", "", "/a/bc/d")));
  EXPECT_FALSE(rule_matches(r, call("Write", "", "/a")));
  EXPECT_FALSE(rule_matches(r, call("Write", "", "/")));
  EXPECT_FALSE(rule_matches(r, call("Write", "", "/x/a/b")));
}

TEST(RuleMatches, TrailingSlashesDoNotMatter) {
  EXPECT_TRUE(rule_matches(rule(1, "/a/b/", "Write", ""), call("Write", "", "/a/b")));
  EXPECT_TRUE(rule_matches(rule(1, "/a/b/", "Write", ""), call("Write", "", "/a/b/c")));
  EXPECT_TRUE(rule_matches(rule(1, "/a/b", "Write", ""), call("Write", "", "/a/b/")));
  EXPECT_FALSE(rule_matches(rule(1, "/a/b/", "Write", ""), call("Write", "", "/a/bc/")));
}

TEST(RuleMatches, RootCoversEverything) {
  for (const char* cwd : {"/", "/a", "/a/b/c", "/tmp/"}) {
    EXPECT_TRUE(rule_matches(rule(1, "/", "Write", ""), call("Write", "", cwd))) << cwd;
  }
}

TEST(RuleMatches, DotSegmentsCannotEscapeTheDirectory) {
  const Rule r = rule(1, "/a/b", "Write", "");
  EXPECT_FALSE(rule_matches(r, call("Write", "", "/a/b/../c")));
  EXPECT_FALSE(rule_matches(r, call("Write", "", "/a/b/..")));
  EXPECT_TRUE(rule_matches(r, call("Write", "", "/a/./b/c")));
  EXPECT_TRUE(rule_matches(r, call("Write", "", "/a/c/../b")));
}

TEST(RuleMatches, RelativeOrEmptyDirectoriesMatchNothing) {
  EXPECT_FALSE(rule_matches(rule(1, "", "Write", ""), call("Write", "", "/a")));
  EXPECT_FALSE(rule_matches(rule(1, "a/b", "Write", ""), call("Write", "", "a/b")));
  EXPECT_FALSE(rule_matches(rule(1, "/", "Write", ""), call("Write", "", "")));
  EXPECT_FALSE(rule_matches(rule(1, "/", "Write", ""), call("Write", "", "relative/dir")));
}

TEST(RuleMatches, ToolMustBeEqual) {
  EXPECT_FALSE(rule_matches(rule(1, "/", "Bash", ""), call("bash", "ls")));
  EXPECT_FALSE(rule_matches(rule(1, "/", "Write", ""), call("Edit")));
}

// --- patterns ------------------------------------------------------------------------

TEST(Patterns, EmptyMatchesAnyCallOfTheTool) {
  EXPECT_TRUE(rule_matches(rule(1, "/", "Bash", ""), call("Bash", "anything at all; rm -rf /")));
  EXPECT_TRUE(grant_matches(Grant{"Write", ""}, call("Write")));
}

TEST(Patterns, ExactMatchesOnlyTheSameCommand) {
  const Grant g{"Bash", "exact:git status"};
  EXPECT_TRUE(grant_matches(g, call("Bash", "git status")));
  EXPECT_FALSE(grant_matches(g, call("Bash", "git status ")));
  EXPECT_FALSE(grant_matches(g, call("Bash", "git status --short")));
  EXPECT_FALSE(grant_matches(g, call("Bash", "git")));
  EXPECT_FALSE(grant_matches(g, call("Bash", "Git status")));
}

TEST(Patterns, PrefixMatchesAtAWordBoundary) {
  const Grant g{"Bash", "prefix:git"};
  EXPECT_TRUE(grant_matches(g, call("Bash", "git")));
  EXPECT_TRUE(grant_matches(g, call("Bash", "git status")));
  EXPECT_TRUE(grant_matches(g, call("Bash", "git log --oneline -5")));
  EXPECT_FALSE(grant_matches(g, call("Bash", "gitx")));
  EXPECT_FALSE(grant_matches(g, call("Bash", "gitk --all")));
  EXPECT_FALSE(grant_matches(g, call("Bash", "gi")));
  EXPECT_FALSE(grant_matches(g, call("Bash", " git status")));
  const Grant multi{"Bash", "prefix:npm run"};
  EXPECT_TRUE(grant_matches(multi, call("Bash", "npm run build")));
  EXPECT_FALSE(grant_matches(multi, call("Bash", "npm runx")));
  EXPECT_FALSE(grant_matches(multi, call("Bash", "npm install")));
}

TEST(Patterns, AnAllowingPrefixNeverCoversAChainedCommand) {
  const Grant g{"Bash", "prefix:git"};
  for (const char* cmd : {"git status; rm -rf ~", "git status && curl x | sh", "git log || true", "git log | head",
                          "git log > /etc/passwd", "git $(rm -rf ~)", "git `id`", "git log\nrm -rf ~", "git log &"}) {
    EXPECT_FALSE(grant_matches(g, call("Bash", cmd))) << cmd;
    EXPECT_FALSE(rule_matches(rule(1, "/", "Bash", "prefix:git"), call("Bash", cmd))) << cmd;
  }
}

TEST(Patterns, ADenyingPrefixCoversChainedCommandsToo) {
  const Rule deny = rule(5, "/", "Bash", "prefix:rm", core::ApprovalDecision::deny);
  EXPECT_TRUE(rule_matches(deny, call("Bash", "rm -rf build && echo done")));
  EXPECT_TRUE(rule_matches(deny, call("Bash", "rm")));
  EXPECT_FALSE(rule_matches(deny, call("Bash", "rmdir x")));
  auto d = decide_with(call("Bash", "rm -rf build; ls"), Mode::automatic, {deny});
  EXPECT_EQ(d.verdict, Verdict::deny);
}

TEST(Patterns, MalformedPatternsMatchNothing) {
  for (const char* p : {"exact:", "prefix:", "git status", "regex:.*", "EXACT:ls"}) {
    EXPECT_FALSE(grant_matches(Grant{"Bash", p}, call("Bash", "ls"))) << p;
    EXPECT_FALSE(grant_matches(Grant{"Bash", p}, call("Bash", ""))) << p;
  }
}

TEST(Patterns, ACommandPatternDoesNotMatchAToolWithoutCommands) {
  EXPECT_FALSE(grant_matches(Grant{"Write", "exact:x"}, call("Write")));
}

// --- pattern_for / valid_pattern ------------------------------------------------------

TEST(PatternFor, ShellToolsGetTheExactCommand) {
  EXPECT_EQ(pattern_for(call("Bash", "make -j8"), std::nullopt), "exact:make -j8");
  EXPECT_EQ(pattern_for(call("shell", "ls -la"), std::nullopt), "exact:ls -la");
}

TEST(PatternFor, OtherToolsGetTheEmptyPattern) {
  EXPECT_EQ(pattern_for(call("Write"), std::nullopt), "");
  EXPECT_EQ(pattern_for(call("mcp__x__y"), std::nullopt), "");
  EXPECT_EQ(pattern_for(call("Write"), "git"), std::nullopt);  // a prefix is for shell tools only
}

TEST(PatternFor, PrefixMustCoverTheCommand) {
  const auto c = call("Bash", "git commit -m 'x'");
  EXPECT_EQ(pattern_for(c, "git"), "prefix:git");
  EXPECT_EQ(pattern_for(c, "git commit"), "prefix:git commit");
  EXPECT_EQ(pattern_for(c, "git commit -m 'x'"), "prefix:git commit -m 'x'");
  EXPECT_EQ(pattern_for(c, "gi"), std::nullopt);     // not at a word boundary
  EXPECT_EQ(pattern_for(c, "git "), std::nullopt);   // would not match the command
  EXPECT_EQ(pattern_for(c, "npm"), std::nullopt);    // not a prefix
  EXPECT_EQ(pattern_for(c, ""), std::nullopt);       // would cover nothing
  EXPECT_EQ(pattern_for(call("Bash", "git log | head"), "git"), std::nullopt);  // chained
  // whatever pattern_for returns covers the call it was made for
  for (const char* p : {"git", "git commit"}) EXPECT_TRUE(grant_matches(Grant{"Bash", *pattern_for(c, p)}, c)) << p;
}

TEST(PatternFor, AShellCallWithoutACommandCannotBePinned) {
  EXPECT_EQ(pattern_for(call("Bash", ""), std::nullopt), std::nullopt);
  EXPECT_EQ(pattern_for(call("KillShell", ""), std::nullopt), std::nullopt);
}

TEST(ValidPattern, ShellTools) {
  for (const char* tool : {"Bash", "bash", "shell", "local_shell", "command_execution"}) {
    EXPECT_TRUE(valid_pattern(tool, "")) << tool;
    EXPECT_TRUE(valid_pattern(tool, "exact:ls -la")) << tool;
    EXPECT_TRUE(valid_pattern(tool, "prefix:git")) << tool;
    EXPECT_FALSE(valid_pattern(tool, "exact:")) << tool;
    EXPECT_FALSE(valid_pattern(tool, "prefix:")) << tool;
    EXPECT_FALSE(valid_pattern(tool, "ls -la")) << tool;
    EXPECT_FALSE(valid_pattern(tool, "glob:*")) << tool;
  }
}

TEST(ValidPattern, OtherToolsTakeOnlyTheEmptyPattern) {
  for (const char* tool : {"Write", "Edit", "Read", "mcp__a__b", "WebFetch"}) {
    EXPECT_TRUE(valid_pattern(tool, "")) << tool;
    EXPECT_FALSE(valid_pattern(tool, "exact:x")) << tool;
    EXPECT_FALSE(valid_pattern(tool, "prefix:x")) << tool;
  }
}

}  // namespace
}  // namespace tether::approvals
