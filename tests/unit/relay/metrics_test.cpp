#include "relay/metrics.hpp"

#include <gtest/gtest.h>

namespace tether::relay {
namespace {

TEST(Metrics, RendersPrometheusText) {
  Metrics m;
  m.relayed(Metrics::Direction::client_to_daemon, 100);
  m.relayed(Metrics::Direction::client_to_daemon, 20);
  m.relayed(Metrics::Direction::daemon_to_client, 7);
  m.linked();
  m.spliced();
  m.closed("daemon_not_linked");
  m.closed("daemon_not_linked");
  m.limit_hit("max_frame");
  m.http_response(404);
  const auto text = m.render(Gauges{5, 1, 2, 3});
  for (const char* line : {"tether_relay_connections 5\n", "tether_relay_links 1\n", "tether_relay_pending_connects 2\n",
                           "tether_relay_spliced_pairs 3\n", "tether_relay_links_total 1\n",
                           "tether_relay_splices_total 1\n",
                           "tether_relay_bytes_relayed_total{direction=\"client_to_daemon\"} 120\n",
                           "tether_relay_bytes_relayed_total{direction=\"daemon_to_client\"} 7\n",
                           "tether_relay_frames_relayed_total{direction=\"client_to_daemon\"} 2\n",
                           "tether_relay_closes_total{reason=\"daemon_not_linked\"} 2\n",
                           "tether_relay_limit_hits_total{limit=\"max_frame\"} 1\n",
                           "tether_relay_http_responses_total{status=\"404\"} 1\n",
                           "# TYPE tether_relay_closes_total counter\n", "# TYPE tether_relay_links gauge\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line;
  }
  EXPECT_EQ(m.closes("daemon_not_linked"), 2u);
  EXPECT_EQ(m.closes("other"), 0u);
  EXPECT_EQ(m.limit_hits("max_frame"), 1u);
}

TEST(Metrics, EveryLineIsACommentOrANameAndANumber) {
  Metrics m;
  m.closed("x");
  const auto text = m.render({});
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    ASSERT_NE(end, std::string::npos);
    const std::string line = text.substr(start, end - start);
    if (line[0] != '#') {
      const auto space = line.rfind(' ');
      ASSERT_NE(space, std::string::npos) << line;
      EXPECT_NO_THROW((void)std::stoull(line.substr(space + 1))) << line;
    }
    start = end + 1;
  }
}

}  // namespace
}  // namespace tether::relay
