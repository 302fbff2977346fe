#include "proto/dispatcher.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "proto/jsonrpc.hpp"

#include <stdexcept>

namespace tether::proto {
namespace {

namespace json = boost::json;

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() : dispatcher_(make_methods()) {}

  std::vector<Method> make_methods() {
    static const std::vector<Field> echo_params = {
        {"text", FieldType::string, true, 8},
        {"count", FieldType::integer, false, 0, 1, 10},
        {"flag", FieldType::boolean},
        {"items", FieldType::array, false, 2},
    };
    std::vector<Method> m;
    m.push_back({"z.echo", Permission::read, echo_params,
                 [this](const json::object& p, const Caller&) -> core::Result<json::value> {
                   ++calls_;
                   return json::value(p.at("text"));
                 },
                 "echo"});
    m.push_back({"a.write", Permission::write, {},
                 [this](const json::object&, const Caller&) -> core::Result<json::value> {
                   ++calls_;
                   return json::value(true);
                 },
                 "write"});
    m.push_back({"m.owner", Permission::owner, {},
                 [](const json::object&, const Caller&) -> core::Result<json::value> {
                   return core::make_error(core::Errc::not_found, "no such thing");
                 },
                 "owner only"});
    m.push_back({"t.throws", Permission::read, {},
                 [](const json::object&, const Caller&) -> core::Result<json::value> {
                   throw std::runtime_error("disk on fire");
                 },
                 "throws"});
    return m;
  }

  json::object call(std::string_view line, Role role = Role::owner) {
    return json::parse(dispatcher_.handle(line, Caller{role, "", 1})).as_object();
  }
  static std::int64_t error_code(const json::object& reply) { return reply.at("error").at("code").as_int64(); }

  int calls_ = 0;
  Dispatcher dispatcher_;
};

TEST_F(DispatcherTest, TableIsSortedByName) {
  const auto& ms = dispatcher_.methods();
  for (std::size_t i = 1; i < ms.size(); ++i) EXPECT_LT(ms[i - 1].name, ms[i].name);
}

TEST_F(DispatcherTest, DuplicateNamesAreRefused) {
  std::vector<Method> dup;
  dup.push_back({"x", Permission::read, {}, nullptr, ""});
  dup.push_back({"x", Permission::read, {}, nullptr, ""});
  EXPECT_THROW(Dispatcher{std::move(dup)}, std::logic_error);
}

TEST_F(DispatcherTest, CallsTheHandlerAndEchoesTheId) {
  auto r = call(R"({"jsonrpc":"2.0","id":"q","method":"z.echo","params":{"text":"hi"}})");
  EXPECT_EQ(r.at("id").as_string(), "q");
  EXPECT_EQ(r.at("result").as_string(), "hi");
  EXPECT_EQ(calls_, 1);
}

TEST_F(DispatcherTest, UnknownMethod) {
  auto r = call(R"({"jsonrpc":"2.0","id":1,"method":"nope"})");
  EXPECT_EQ(error_code(r), rpc_code::kMethodNotFound);
  EXPECT_NE(std::string(r.at("error").at("message").as_string()).find("nope"), std::string::npos);
}

TEST_F(DispatcherTest, ValidatesParamsBeforeTheHandlerRuns) {
  const char* bad[] = {
      R"({"jsonrpc":"2.0","id":1,"method":"z.echo","params":{}})",                           // missing
      R"({"jsonrpc":"2.0","id":1,"method":"z.echo","params":{"text":5}})",                   // wrong type
      R"({"jsonrpc":"2.0","id":1,"method":"z.echo","params":{"text":"123456789"}})",         // too long
      R"({"jsonrpc":"2.0","id":1,"method":"z.echo","params":{"text":"a","count":11}})",      // out of range
      R"({"jsonrpc":"2.0","id":1,"method":"z.echo","params":{"text":"a","count":"1"}})",     // wrong type
      R"({"jsonrpc":"2.0","id":1,"method":"z.echo","params":{"text":"a","count":1.5}})",     // not integer
      R"({"jsonrpc":"2.0","id":1,"method":"z.echo","params":{"text":"a","flag":1}})",        // wrong type
      R"({"jsonrpc":"2.0","id":1,"method":"z.echo","params":{"text":"a","items":[1,2,3]}})", // too many
      R"({"jsonrpc":"2.0","id":1,"method":"z.echo","params":{"text":"a","bogus":1}})",       // unknown
      R"({"jsonrpc":"2.0","id":1,"method":"z.echo","params":[1]})",                          // not an object
  };
  for (const char* line : bad) {
    auto r = call(line);
    EXPECT_EQ(error_code(r), rpc_code::kInvalidParams) << line;
  }
  EXPECT_EQ(calls_, 0);
  auto good = call(R"({"jsonrpc":"2.0","id":1,"method":"z.echo","params":{"text":"a","count":10,"flag":true,"items":[1]}})");
  EXPECT_TRUE(good.contains("result"));
}

TEST_F(DispatcherTest, MessagesNameTheField) {
  auto r = call(R"({"jsonrpc":"2.0","id":1,"method":"z.echo","params":{"text":5}})");
  EXPECT_NE(std::string(r.at("error").at("message").as_string()).find("\"text\""), std::string::npos);
}

TEST_F(DispatcherTest, PermissionColumnIsEnforced) {
  const char* write = R"({"jsonrpc":"2.0","id":1,"method":"a.write"})";
  const char* owner = R"({"jsonrpc":"2.0","id":1,"method":"m.owner"})";
  const char* read = R"({"jsonrpc":"2.0","id":1,"method":"z.echo","params":{"text":"a"}})";
  EXPECT_EQ(error_code(call(write, Role::read_only)), rpc_code::kPermissionDenied);
  EXPECT_EQ(error_code(call(owner, Role::read_only)), rpc_code::kPermissionDenied);
  EXPECT_EQ(error_code(call(owner, Role::full)), rpc_code::kPermissionDenied);
  EXPECT_EQ(calls_, 0);
  EXPECT_TRUE(call(read, Role::read_only).contains("result"));
  EXPECT_TRUE(call(write, Role::full).contains("result"));
  EXPECT_EQ(error_code(call(owner, Role::owner)), rpc_code::kNotFound);  // reached the handler
}

TEST_F(DispatcherTest, HandlerErrorsCarryTheirCode) {
  auto r = call(R"({"jsonrpc":"2.0","id":1,"method":"m.owner"})");
  EXPECT_EQ(r.at("error").at("data").at("code").as_string(), "not_found");
}

TEST_F(DispatcherTest, AThrowingHandlerAnswersWithAnInternalError) {
  auto r = call(R"({"jsonrpc":"2.0","id":9,"method":"t.throws"})");
  EXPECT_EQ(error_code(r), rpc_code::kInternalError);
  EXPECT_EQ(r.at("id").as_int64(), 9);
  EXPECT_EQ(std::string(r.at("error").at("message").as_string()).find("disk"), std::string::npos);  // no internals leak
}

TEST(RoleAllows, Matrix) {
  EXPECT_TRUE(role_allows(Role::read_only, Permission::read));
  EXPECT_FALSE(role_allows(Role::read_only, Permission::write));
  EXPECT_FALSE(role_allows(Role::read_only, Permission::owner));
  EXPECT_TRUE(role_allows(Role::full, Permission::write));
  EXPECT_FALSE(role_allows(Role::full, Permission::owner));
  EXPECT_TRUE(role_allows(Role::owner, Permission::owner));
}

// A device whose SAS is not confirmed yet may confirm or deny it, and do nothing else.
TEST(RoleAllows, APendingDeviceMayOnlyAnswerItsPairing) {
  EXPECT_TRUE(role_allows(Role::pending, Permission::pairing));
  EXPECT_FALSE(role_allows(Role::pending, Permission::read));
  EXPECT_FALSE(role_allows(Role::pending, Permission::write));
  EXPECT_FALSE(role_allows(Role::pending, Permission::owner));
  for (const auto role : {Role::read_only, Role::full, Role::owner}) EXPECT_TRUE(role_allows(role, Permission::pairing));
}

}  // namespace
}  // namespace tether::proto
