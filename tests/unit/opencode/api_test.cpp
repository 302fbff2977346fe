// The pure parts of driving `opencode serve`: command line, environment, the permission
// rules tether imposes, request bodies and the parsing of answers.
#include "providers/opencode/api.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace tether::providers::opencode {
namespace {
namespace json = boost::json;

TEST(OpenCodeApi, CommandLineListensOnLoopbackOnAFreePort) {
  EXPECT_EQ(command_line("/x/opencode"),
            (std::vector<std::string>{"/x/opencode", "serve", "--hostname", "127.0.0.1", "--port", "0"}));
}

TEST(OpenCodeApi, EverythingAsksButReadsTodosAndSubagents) {
  // Order matters to OpenCode (the last matching rule wins): "*" must come first.
  const json::array rules = session_permission({});
  ASSERT_EQ(rules.size(), permission_rules().size());
  EXPECT_EQ(json::serialize(rules.front()), R"({"permission":"*","pattern":"*","action":"ask"})");
  EXPECT_EQ(json::serialize(rules.back()), R"({"permission":"question","pattern":"*","action":"deny"})");
  for (const auto& r : permission_rules()) {
    // Nothing that edits, runs or fetches is allowed by OpenCode itself.
    if (r.action == "allow") {
      EXPECT_TRUE(r.permission == "read" || r.permission == "glob" || r.permission == "grep" || r.permission == "list" ||
                  r.permission == "todowrite" || r.permission == "todoread" || r.permission == "task")
          << r.permission;
    }
  }
  EXPECT_TRUE(std::none_of(permission_rules().begin(), permission_rules().end(),
                           [](const PermissionRule& r) { return r.permission == "bash" || r.permission == "edit"; }));
}

TEST(OpenCodeApi, TheUsersRulesComeAfterTethersAndQuestionsStayDenied) {
  const auto config = json::parse(R"({"permission":{"bash":{"*":"allow","rm *":"deny"},"edit":"deny","**":"ask",
      "webfetch":"bogus"},"agent":{"build":{"permission":{"read":{"*.env":"deny"}}},"plan":{"permission":"allow"}}})");
  const json::array rules = session_permission(config.as_object());
  ASSERT_EQ(rules.size(), permission_rules().size() + 4);
  const std::size_t user = permission_rules().size() - 1;  // tether's, without "question"
  EXPECT_EQ(json::serialize(rules[user]), R"({"permission":"bash","pattern":"*","action":"allow"})");
  EXPECT_EQ(json::serialize(rules[user + 1]), R"({"permission":"bash","pattern":"rm *","action":"deny"})");
  EXPECT_EQ(json::serialize(rules[user + 2]), R"({"permission":"edit","pattern":"*","action":"deny"})");
  EXPECT_EQ(json::serialize(rules[user + 3]), R"({"permission":"read","pattern":"*.env","action":"deny"})");
  EXPECT_EQ(json::serialize(rules.back()), R"({"permission":"question","pattern":"*","action":"deny"})");
  // One action for everything, and the agent named by default_agent.
  const auto plan = json::parse(R"({"permission":"allow","default_agent":"plan","agent":{"plan":{"permission":"allow"}}})");
  const json::array all = session_permission(plan.as_object());
  ASSERT_EQ(all.size(), permission_rules().size() + 2);
  EXPECT_EQ(json::serialize(all[user]), R"({"permission":"*","pattern":"*","action":"allow"})");
}

TEST(OpenCodeApi, ConfigLevelRulesKeepTheUsersAndAskLast) {
  EXPECT_EQ(permission_config(""), R"({"**":"ask","question":"deny"})");
  EXPECT_EQ(permission_config(R"({"*":"allow","bash":{"rm *":"deny"},"question":"allow"})"),
            R"({"*":"allow","bash":{"rm *":"deny"},"**":"ask","question":"deny"})");
  EXPECT_EQ(permission_config("not json"), R"({"**":"ask","question":"deny"})");
}

TEST(OpenCodeApi, ServeEnvironmentTakesControlAndStaysOffline) {
  const auto env = serve_environment({"PATH=/bin", "HOME=/h", "OPENCODE_PERMISSION={\"bash\":\"allow\"}",
                                      "OPENCODE_SERVER_PASSWORD=theirs", "OPENCODE_SERVER_USERNAME=u",
                                      "OPENCODE_CONFIG=/c.json", "OPENCODE_PERMISSIONS_X=kept"},
                                     "s3cret", "file:///p.js");
  ASSERT_TRUE(env.ok()) << env.error().message;
  EXPECT_EQ(*env, (std::vector<std::string>{"PATH=/bin", "HOME=/h", "OPENCODE_CONFIG=/c.json", "OPENCODE_PERMISSIONS_X=kept",
                                            R"(OPENCODE_PERMISSION={"bash":"allow","**":"ask","question":"deny"})",
                                            R"(OPENCODE_CONFIG_CONTENT={"plugin":["file:///p.js"]})",
                                            "OPENCODE_SERVER_PASSWORD=s3cret", "OPENCODE_DISABLE_MODELS_FETCH=1",
                                            "OPENCODE_DISABLE_AUTOUPDATE=1"}));
  // The user's own choice on the two switches stands.
  const auto mine = serve_environment({"OPENCODE_DISABLE_MODELS_FETCH=0", "OPENCODE_DISABLE_AUTOUPDATE=0"}, "p", "file:///p.js");
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(std::count_if(mine->begin(), mine->end(), [](const std::string& e) { return e.starts_with("OPENCODE_DISABLE_"); }), 2);
  EXPECT_NE(std::find(mine->begin(), mine->end(), "OPENCODE_DISABLE_MODELS_FETCH=0"), mine->end());
  // The user's inline config keeps its plugins; tether's is added.
  const auto inline_config = serve_environment({R"(OPENCODE_CONFIG_CONTENT={"plugin":["mine"],"model":"a/b"})"}, "p", "file:///p.js");
  ASSERT_TRUE(inline_config.ok());
  EXPECT_NE(std::find(inline_config->begin(), inline_config->end(),
                      R"(OPENCODE_CONFIG_CONTENT={"plugin":["mine","file:///p.js"],"model":"a/b"})"),
            inline_config->end());
  // Refused: an inline config tether cannot add to, and a serve that would not load the plugin.
  EXPECT_FALSE(serve_environment({"OPENCODE_CONFIG_CONTENT={ // jsonc\n}"}, "p", "file:///p.js").ok());
  EXPECT_FALSE(serve_environment({"OPENCODE_PURE=1"}, "p", "file:///p.js").ok());
}

TEST(OpenCodeApi, TheEnvGuardRemovesTheServersCredentials) {
  const std::string_view plugin = env_guard_plugin();
  for (const char* name : {"OPENCODE_SERVER_PASSWORD", "OPENCODE_SERVER_USERNAME", "OPENCODE_PID"}) {
    EXPECT_NE(plugin.find(name), std::string_view::npos) << name;
  }
  EXPECT_NE(plugin.find("\"shell.env\""), std::string_view::npos);
}

TEST(OpenCodeApi, ListeningPortFromServesLine) {
  EXPECT_EQ(listening_port("opencode server listening on http://127.0.0.1:4096"), 4096);
  EXPECT_EQ(listening_port("opencode server listening on http://127.0.0.1:33285\r"), 33285);
  EXPECT_EQ(listening_port("Warning: OPENCODE_SERVER_PASSWORD is not set; server is unsecured."), std::nullopt);
  EXPECT_EQ(listening_port("opencode server listening on http://127.0.0.1:0"), std::nullopt);
  EXPECT_EQ(listening_port("opencode server listening on http://127.0.0.1:99999"), std::nullopt);
  EXPECT_EQ(listening_port("opencode server listening on http://127.0.0.1:12x"), std::nullopt);
}

TEST(OpenCodeApi, BasicAuthAndPercentEncoding) {
  EXPECT_EQ(basic_auth("pw"), "Basic b3BlbmNvZGU6cHc=");
  EXPECT_EQ(basic_auth(""), "Basic b3BlbmNvZGU6");
  EXPECT_EQ(basic_auth("p1"), "Basic b3BlbmNvZGU6cDE=");
  EXPECT_EQ(percent_encode("/home/me/my project/ü~x"), "/home/me/my%20project/%C3%BC~x");
  EXPECT_EQ(percent_encode("ses_ab?c#d"), "ses_ab%3Fc%23d");
}

TEST(OpenCodeApi, RequestBodies) {
  EXPECT_EQ(json::parse(create_session_body("tether", {})),
            json::parse(R"({"title":"tether","permission":)" + json::serialize(session_permission({})) + "}"));
  auto plain = prompt_body("hi \"there\"", "");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, R"({"parts":[{"type":"text","text":"hi \"there\""}]})");
  auto with_model = prompt_body("x", "anthropic/claude-sonnet-4/v2");
  ASSERT_TRUE(with_model.ok());
  EXPECT_EQ(json::parse(*with_model).at("model"), json::parse(R"({"providerID":"anthropic","modelID":"claude-sonnet-4/v2"})"));
  for (const char* bad : {"sonnet", "/m", "p/"}) {
    auto r = prompt_body("x", bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, core::Errc::invalid_params);
  }
  EXPECT_EQ(reply_body(true, "ignored"), R"({"reply":"once"})");
  EXPECT_EQ(reply_body(false, "not here"), R"({"reply":"reject","message":"not here"})");
  EXPECT_EQ(reply_body(false, ""), R"({"reply":"reject"})");
}

TEST(OpenCodeApi, Answers) {
  auto id = session_id_of(R"({"id":"ses_df6032168ffefxmSgMz1qr5je4","slug":"crisp-forest","title":"tether"})");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, "ses_df6032168ffefxmSgMz1qr5je4");
  for (const char* bad : {"", "[]", R"({"id":7})", R"({"id":""})", "<html>"}) {
    auto r = session_id_of(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, core::Errc::bad_response);
  }
  EXPECT_EQ(describe_failure(404, R"({"name":"NotFoundError","data":{"message":"Session not found: ses_nope"}})"),
            "HTTP 404: Session not found: ses_nope");
  EXPECT_EQ(describe_failure(404, R"({"_tag":"PermissionNotFoundError","message":"Permission request not found: per_1"})"),
            "HTTP 404: Permission request not found: per_1");
  EXPECT_EQ(describe_failure(401, "Unauthorized"), "HTTP 401: Unauthorized");
  EXPECT_EQ(describe_failure(500, std::string(1000, 'x')).size(), std::string("HTTP 500: ").size() + 300);
}

}  // namespace
}  // namespace tether::providers::opencode
