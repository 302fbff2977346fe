#include "daemon/agent_env.hpp"

#include <algorithm>
#include <array>

#include "core/env.hpp"

namespace tether::daemon {
namespace {

using core::ProviderType;

enum class Vendor { anthropic, openai, other };

struct ModelKey {
  std::string_view name;
  Vendor vendor;
};

constexpr std::array kModelKeys{
    ModelKey{"ANTHROPIC_API_KEY", Vendor::anthropic},   ModelKey{"ANTHROPIC_AUTH_TOKEN", Vendor::anthropic},
    ModelKey{"OPENAI_API_KEY", Vendor::openai},         ModelKey{"AZURE_OPENAI_API_KEY", Vendor::openai},
    ModelKey{"GEMINI_API_KEY", Vendor::other},          ModelKey{"GOOGLE_API_KEY", Vendor::other},
    ModelKey{"GOOGLE_GENERATIVE_AI_API_KEY", Vendor::other}, ModelKey{"MISTRAL_API_KEY", Vendor::other},
    ModelKey{"GROQ_API_KEY", Vendor::other},            ModelKey{"XAI_API_KEY", Vendor::other},
    ModelKey{"DEEPSEEK_API_KEY", Vendor::other},        ModelKey{"OPENROUTER_API_KEY", Vendor::other},
    ModelKey{"COHERE_API_KEY", Vendor::other},          ModelKey{"TOGETHER_API_KEY", Vendor::other},
    ModelKey{"FIREWORKS_API_KEY", Vendor::other},       ModelKey{"PERPLEXITY_API_KEY", Vendor::other},
    ModelKey{"HF_TOKEN", Vendor::other},                ModelKey{"HUGGINGFACE_API_KEY", Vendor::other},
};

constexpr std::array<std::string_view, 5> kAwsSecrets{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                                                      "AWS_SECURITY_TOKEN", "AWS_BEARER_TOKEN_BEDROCK"};
constexpr std::array<std::string_view, 1> kGoogleSecrets{"GOOGLE_APPLICATION_CREDENTIALS"};
constexpr std::array<std::string_view, 16> kOtherSecrets{
    "GITHUB_TOKEN",         "GH_TOKEN",          "GH_ENTERPRISE_TOKEN", "GITLAB_TOKEN",   "GL_TOKEN",
    "NPM_TOKEN",            "NODE_AUTH_TOKEN",   "AZURE_CLIENT_SECRET", "ARM_CLIENT_SECRET",
    "DIGITALOCEAN_ACCESS_TOKEN", "CLOUDFLARE_API_TOKEN", "HEROKU_API_KEY", "VAULT_TOKEN",
    "DOCKER_PASSWORD",      "SLACK_BOT_TOKEN",   "STRIPE_SECRET_KEY"};

template <std::size_t N>
bool listed(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool set(const std::vector<std::string>& env, std::string_view name) {
  const std::string value = core::env_value(env, name);
  return !value.empty() && value != "0" && value != "false";
}

// The model vendor an agent's own CLI talks to.
bool own_vendor(ProviderType type, Vendor vendor) {
  switch (type) {
    case ProviderType::claude: return vendor == Vendor::anthropic;
    case ProviderType::codex: return vendor == Vendor::openai;
    case ProviderType::opencode:
    case ProviderType::terminal: return true;
  }
  return false;
}

}  // namespace

bool is_tether_variable(std::string_view name) { return name.starts_with("TETHER_"); }

std::vector<std::string> agent_environment(char** environ_entries) {
  std::vector<std::string> env;
  for (char** e = environ_entries; e && *e; ++e) {
    const std::string_view entry(*e);
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    if (is_tether_variable(entry.substr(0, eq))) continue;
    env.emplace_back(entry);
  }
  return env;
}

bool withheld(std::string_view name, ProviderType type, const std::vector<std::string>& env,
              const std::vector<std::string>& pass) {
  if (type == ProviderType::terminal) return false;
  if (std::find(pass.begin(), pass.end(), name) != pass.end()) return false;
  for (const auto& key : kModelKeys) {
    if (key.name == name) return !own_vendor(type, key.vendor);
  }
  if (listed(kAwsSecrets, name)) return !(type == ProviderType::claude && set(env, "CLAUDE_CODE_USE_BEDROCK"));
  if (listed(kGoogleSecrets, name)) return !(type == ProviderType::claude && set(env, "CLAUDE_CODE_USE_VERTEX"));
  return listed(kOtherSecrets, name);
}

std::vector<std::string> scoped_environment(const std::vector<std::string>& env, ProviderType type,
                                            const std::vector<std::string>& pass) {
  std::vector<std::string> out;
  out.reserve(env.size());
  for (const auto& entry : env) {
    const auto eq = entry.find('=');
    if (eq != std::string::npos && withheld(std::string_view(entry).substr(0, eq), type, env, pass)) continue;
    out.push_back(entry);
  }
  return out;
}

}  // namespace tether::daemon
