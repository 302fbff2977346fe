// Each agent gets the user's environment without tether's variables and without the
// secrets it has no use for: other vendors' model keys and well-known cloud secrets.
#include "daemon/agent_env.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace tether::daemon {
namespace {

using core::ProviderType;

const std::vector<std::string> kEnv = {
    "PATH=/usr/bin",           "HOME=/home/me",          "ANTHROPIC_API_KEY=sk-ant",      "OPENAI_API_KEY=sk-oai",
    "GEMINI_API_KEY=g",        "AWS_SECRET_ACCESS_KEY=a", "AWS_ACCESS_KEY_ID=b",          "GITHUB_TOKEN=ghp",
    "NPM_TOKEN=n",             "GOOGLE_APPLICATION_CREDENTIALS=/k.json", "FAKE_OPENAI_API_KEY=user-named",
    "MY_TOOL_SETTING=1",
};

std::vector<std::string> names(const std::vector<std::string>& env) {
  std::vector<std::string> out;
  for (const auto& e : env) out.push_back(e.substr(0, e.find('=')));
  return out;
}

bool has(const std::vector<std::string>& env, std::string_view name) {
  const auto n = names(env);
  return std::find(n.begin(), n.end(), name) != n.end();
}

TEST(AgentEnv, TetherVariablesNeverReachAnAgent) {
  std::string a = "TETHER_HOME=/x", b = "PATH=/bin", c = "TETHER_SECRET=s";
  char* entries[] = {a.data(), b.data(), c.data(), nullptr};
  EXPECT_EQ(agent_environment(entries), std::vector<std::string>{"PATH=/bin"});
}

TEST(AgentEnv, ClaudeKeepsItsOwnKeyAndLosesOtherVendorsAndCloudSecrets) {
  const auto env = scoped_environment(kEnv, ProviderType::claude, {});
  EXPECT_EQ(names(env), (std::vector<std::string>{"PATH", "HOME", "ANTHROPIC_API_KEY", "FAKE_OPENAI_API_KEY", "MY_TOOL_SETTING"}));
}

TEST(AgentEnv, CodexKeepsOpenAiAndLosesAnthropic) {
  const auto env = scoped_environment(kEnv, ProviderType::codex, {});
  EXPECT_EQ(names(env), (std::vector<std::string>{"PATH", "HOME", "OPENAI_API_KEY", "FAKE_OPENAI_API_KEY", "MY_TOOL_SETTING"}));
}

TEST(AgentEnv, OpenCodeTalksToAnyVendorSoKeepsModelKeysButNotCloudSecrets) {
  const auto env = scoped_environment(kEnv, ProviderType::opencode, {});
  for (const char* kept : {"ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY", "MY_TOOL_SETTING"}) EXPECT_TRUE(has(env, kept)) << kept;
  for (const char* gone : {"AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "GITHUB_TOKEN", "NPM_TOKEN", "GOOGLE_APPLICATION_CREDENTIALS"}) {
    EXPECT_FALSE(has(env, gone)) << gone;
  }
}

TEST(AgentEnv, ATerminalIsTheUsersShellAndKeepsEverything) {
  EXPECT_EQ(scoped_environment(kEnv, ProviderType::terminal, {}), kEnv);
}

TEST(AgentEnv, ClaudeOnBedrockOrVertexKeepsThatClouds) {
  auto bedrock = kEnv;
  bedrock.emplace_back("CLAUDE_CODE_USE_BEDROCK=1");
  const auto b = scoped_environment(bedrock, ProviderType::claude, {});
  EXPECT_TRUE(has(b, "AWS_SECRET_ACCESS_KEY"));
  EXPECT_FALSE(has(b, "GOOGLE_APPLICATION_CREDENTIALS"));
  EXPECT_FALSE(has(b, "GITHUB_TOKEN"));
  auto vertex = kEnv;
  vertex.emplace_back("CLAUDE_CODE_USE_VERTEX=1");
  const auto v = scoped_environment(vertex, ProviderType::claude, {});
  EXPECT_TRUE(has(v, "GOOGLE_APPLICATION_CREDENTIALS"));
  EXPECT_FALSE(has(v, "AWS_SECRET_ACCESS_KEY"));
  auto off = kEnv;
  off.emplace_back("CLAUDE_CODE_USE_BEDROCK=0");
  EXPECT_FALSE(has(scoped_environment(off, ProviderType::claude, {}), "AWS_SECRET_ACCESS_KEY"));
  EXPECT_FALSE(has(scoped_environment(bedrock, ProviderType::codex, {}), "AWS_SECRET_ACCESS_KEY"));  // Claude's switch only
}

TEST(AgentEnv, PassedNamesReachEveryAgent) {
  const std::vector<std::string> pass{"GITHUB_TOKEN", "OPENAI_API_KEY"};
  for (const auto type : {ProviderType::claude, ProviderType::codex, ProviderType::opencode}) {
    const auto env = scoped_environment(kEnv, type, pass);
    EXPECT_TRUE(has(env, "GITHUB_TOKEN"));
    EXPECT_TRUE(has(env, "OPENAI_API_KEY"));
    EXPECT_FALSE(has(env, "NPM_TOKEN"));
  }
}

}  // namespace
}  // namespace tether::daemon
