// The environment an agent runs with: the daemon's own (the user's), minus tether's
// variables, minus the secrets that agent has no use for. tether holds no provider API
// key; the agent finds its own credentials.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/provider_type.hpp"

namespace tether::daemon {

// Whether a variable is tether's and must not reach an agent: every name that starts
// with TETHER_ (TETHER_HOME and any future setting or secret).
bool is_tether_variable(std::string_view name);

// `environ` filtered by is_tether_variable ("NAME=value" each).
std::vector<std::string> agent_environment(char** environ_entries);

// Whether `name` is withheld from an agent of `type` when its environment is `env`:
//   - another vendor's model key (ANTHROPIC_API_KEY for Codex, OPENAI_API_KEY for Claude,
//     GEMINI_API_KEY, MISTRAL_API_KEY, … for both; OpenCode, which talks to any vendor,
//     keeps them all);
//   - a well-known cloud or forge secret (AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN, NPM_TOKEN,
//     GOOGLE_APPLICATION_CREDENTIALS, …), except what Claude needs when the environment
//     chooses Bedrock (CLAUDE_CODE_USE_BEDROCK: the AWS ones) or Vertex
//     (CLAUDE_CODE_USE_VERTEX: Google's).
// A terminal session is the user's own shell and keeps everything. Names in `pass` (the
// daemon's --pass-env) are never withheld.
bool withheld(std::string_view name, core::ProviderType type, const std::vector<std::string>& env,
              const std::vector<std::string>& pass);

// `env` without what `withheld` names, for one agent of `type`.
std::vector<std::string> scoped_environment(const std::vector<std::string>& env, core::ProviderType type,
                                            const std::vector<std::string>& pass);

}  // namespace tether::daemon
