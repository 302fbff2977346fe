#include "relay/routes.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tether::relay {
namespace {

const std::string kId = "_FvBAlYo1h7h-vrQJFskoySXzNfgMXUKBL_BV99AXog";

TEST(Routes, NamesEachEndpoint) {
  EXPECT_EQ(route_for("/healthz").kind, RouteKind::healthz);
  EXPECT_EQ(route_for("/metrics?x=1").kind, RouteKind::metrics);
  EXPECT_EQ(route_for("/v1/daemon").kind, RouteKind::daemon_link);
  auto c = route_for("/v1/connect/" + kId);
  EXPECT_EQ(c.kind, RouteKind::connect);
  EXPECT_EQ(c.param, kId);
  auto a = route_for("/v1/accept/" + kId + "?q");
  EXPECT_EQ(a.kind, RouteKind::accept);
  EXPECT_EQ(a.param, kId);
  EXPECT_EQ(route_for("/").kind, RouteKind::static_file);
  EXPECT_EQ(route_for("/assets/app.js").kind, RouteKind::static_file);
}

TEST(Routes, MalformedPathsAreNotFound) {
  for (const std::string& t : std::vector<std::string>{"/v1", "/v1/", "/v1/daemon/", "/v1/connect/", "/v1/connect/abc", "/v1/connect/" + kId + "/x",
                              "/v1/connect/" + kId + "A", "/v1/accept/" + kId.substr(0, 42) + "!", "/v1/other", "*",
                              "http://example.com/", "/v1/connect/" + kId.substr(0, 42) + "h"}) {
    EXPECT_EQ(route_for(t).kind, RouteKind::not_found) << t;
  }
}

TEST(Routes, OnlyTheThreeSocketEndpointsUpgrade) {
  EXPECT_TRUE(is_websocket_route(RouteKind::daemon_link));
  EXPECT_TRUE(is_websocket_route(RouteKind::connect));
  EXPECT_TRUE(is_websocket_route(RouteKind::accept));
  EXPECT_FALSE(is_websocket_route(RouteKind::healthz));
  EXPECT_FALSE(is_websocket_route(RouteKind::static_file));
  EXPECT_FALSE(is_websocket_route(RouteKind::not_found));
}

}  // namespace
}  // namespace tether::relay
