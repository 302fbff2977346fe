#include "proto/jsonrpc.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace tether::proto {
namespace {

RpcFailure expect_failure(std::string_view line) {
  auto out = parse_request(line);
  EXPECT_TRUE(std::holds_alternative<RpcFailure>(out)) << line;
  return std::holds_alternative<RpcFailure>(out) ? std::get<RpcFailure>(out) : RpcFailure{};
}

TEST(JsonRpc, ParsesAWellFormedRequest) {
  auto out = parse_request(R"({"jsonrpc":"2.0","id":7,"method":"daemon.info","params":{"a":1}})");
  ASSERT_TRUE(std::holds_alternative<Request>(out));
  const auto& r = std::get<Request>(out);
  EXPECT_EQ(r.method, "daemon.info");
  EXPECT_EQ(r.id.as_int64(), 7);
  EXPECT_EQ(r.params.at("a").as_int64(), 1);
}

TEST(JsonRpc, ParamsMayBeOmittedOrNull) {
  EXPECT_TRUE(std::holds_alternative<Request>(parse_request(R"({"jsonrpc":"2.0","id":"x","method":"m"})")));
  EXPECT_TRUE(std::holds_alternative<Request>(parse_request(R"({"jsonrpc":"2.0","id":"x","method":"m","params":null})")));
}

TEST(JsonRpc, NotJsonIsAParseError) {
  EXPECT_EQ(expect_failure("hello").code, rpc_code::kParseError);
  EXPECT_EQ(expect_failure(R"({"jsonrpc":"2.0")").code, rpc_code::kParseError);
  EXPECT_EQ(expect_failure("").code, rpc_code::kParseError);
}

TEST(JsonRpc, InvalidUtf8IsAParseError) {
  EXPECT_EQ(expect_failure("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xff\xfe\"}").code, rpc_code::kParseError);
  EXPECT_EQ(expect_failure("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xc3\"}").code, rpc_code::kParseError);
}

TEST(JsonRpc, ANumberTooLargeForADoubleIsAParseError) {
  // Boost.JSON reads 1e999 as infinity and would write it back as `Infinity`, which is not JSON.
  const auto f = expect_failure(R"({"jsonrpc":"2.0","id":1,"method":"m","params":{"n":1e999}})");
  EXPECT_EQ(f.code, rpc_code::kParseError);
  EXPECT_NE(f.message.find("too large"), std::string::npos) << f.message;
  EXPECT_EQ(expect_failure(R"({"jsonrpc":"2.0","id":1,"method":"m","params":[[-23e600]]})").code, rpc_code::kParseError);
  EXPECT_TRUE(std::holds_alternative<Request>(parse_request(R"({"jsonrpc":"2.0","id":1,"method":"m","params":{"n":1e308}})")));
}

TEST(JsonRpc, DeepNestingIsRefused) {
  std::string deep = R"({"jsonrpc":"2.0","id":1,"method":"m","params":{"a":)";
  for (int i = 0; i < 100; ++i) deep += "[";
  for (int i = 0; i < 100; ++i) deep += "]";
  deep += "}}";
  EXPECT_EQ(expect_failure(deep).code, rpc_code::kParseError);
}

TEST(JsonRpc, BatchesAndNonObjectsAreInvalidRequests) {
  auto batch = expect_failure(R"([{"jsonrpc":"2.0","id":1,"method":"m"}])");
  EXPECT_EQ(batch.code, rpc_code::kInvalidRequest);
  EXPECT_NE(batch.message.find("batch"), std::string::npos);
  EXPECT_EQ(expect_failure("42").code, rpc_code::kInvalidRequest);
  EXPECT_EQ(expect_failure(R"("str")").code, rpc_code::kInvalidRequest);
}

TEST(JsonRpc, MissingOrWrongMembersAreInvalidRequests) {
  EXPECT_EQ(expect_failure(R"({"id":1,"method":"m"})").code, rpc_code::kInvalidRequest);
  EXPECT_EQ(expect_failure(R"({"jsonrpc":"1.0","id":1,"method":"m"})").code, rpc_code::kInvalidRequest);
  EXPECT_EQ(expect_failure(R"({"jsonrpc":"2.0","id":1})").code, rpc_code::kInvalidRequest);
  EXPECT_EQ(expect_failure(R"({"jsonrpc":"2.0","id":1,"method":5})").code, rpc_code::kInvalidRequest);
  EXPECT_EQ(expect_failure(R"({"jsonrpc":"2.0","id":1,"method":""})").code, rpc_code::kInvalidRequest);
  EXPECT_EQ(expect_failure(R"({"jsonrpc":"2.0","method":"m"})").code, rpc_code::kInvalidRequest);
  EXPECT_EQ(expect_failure(R"({"jsonrpc":"2.0","id":{},"method":"m"})").code, rpc_code::kInvalidRequest);
  EXPECT_EQ(expect_failure(R"({"jsonrpc":"2.0","id":1.5,"method":"m"})").code, rpc_code::kInvalidRequest);
  EXPECT_EQ(expect_failure(R"({"jsonrpc":"2.0","id":1,"method":"m","extra":1})").code, rpc_code::kInvalidRequest);
}

TEST(JsonRpc, TheIdIsEchoedInErrorsWhenKnown) {
  auto f = expect_failure(R"({"jsonrpc":"1.0","id":"abc","method":"m"})");
  EXPECT_EQ(f.id.as_string(), "abc");
}

TEST(JsonRpc, ParamsOfTheWrongTypeAreInvalidParams) {
  EXPECT_EQ(expect_failure(R"({"jsonrpc":"2.0","id":1,"method":"m","params":[1,2]})").code, rpc_code::kInvalidParams);
  EXPECT_EQ(expect_failure(R"({"jsonrpc":"2.0","id":1,"method":"m","params":"x"})").code, rpc_code::kInvalidParams);
}

TEST(JsonRpc, ResponsesAreValidJsonRpc) {
  auto ok = boost::json::parse(make_result(3, boost::json::object{{"x", 1}})).as_object();
  EXPECT_EQ(ok.at("jsonrpc").as_string(), "2.0");
  EXPECT_EQ(ok.at("id").as_int64(), 3);
  EXPECT_EQ(ok.at("result").at("x").as_int64(), 1);
  auto err = boost::json::parse(make_error({nullptr, -32601, "nope", core::Errc::not_found})).as_object();
  EXPECT_TRUE(err.at("id").is_null());
  EXPECT_EQ(err.at("error").at("code").as_int64(), -32601);
  EXPECT_EQ(err.at("error").at("data").at("code").as_string(), "not_found");
}

}  // namespace
}  // namespace tether::proto
