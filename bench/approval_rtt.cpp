// bench_approval_rtt CLIENT_HOME HOST SESSION COUNT: as the paired device HOST (from
// CLIENT_HOME's remotes.json), on one held connection (through the relay when the host
// entry says so), follows SESSION and drives COUNT turns whose tool call asks for
// approval. For each: t0 when the approval_requested event arrives, the device sends
// approval.respond, t1 when the approval_resolved event comes back. Prints the round
// trips in microseconds as JSON.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "cli/remote_client.hpp"
#include "crypto/identity.hpp"
#include "proto/jsonrpc.hpp"

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: bench_approval_rtt CLIENT_HOME HOST SESSION COUNT\n");
    return 2;
  }
  if (!tether::crypto::init()) return 1;
  auto host = tether::cli::remote_host_named(tether::core::HomePaths{argv[1]}, argv[2]);
  if (!host) {
    std::fprintf(stderr, "%s\n", host.error().message.c_str());
    return 1;
  }
  const std::string session = argv[3];
  const long count = std::strtol(argv[4], nullptr, 10);
  std::vector<long> samples;
  std::string pending;
  Clock::time_point t0;
  int next_id = 2;
  bool started = false;
  auto prompt = [&](const tether::cli::RemoteSend& send) {
    send(tether::proto::make_request(next_id++, "session.send", json::object{{"session", session}, {"text", "[bash:echo rtt > rtt.txt]"}}));
  };
  auto on_message = [&](std::string_view line, const tether::cli::RemoteSend& send) -> bool {
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) return false;
    const auto& msg = v.as_object();
    if (const auto* e = msg.if_contains("error")) {
      std::fprintf(stderr, "error: %s\n", json::serialize(*e).c_str());
      return false;
    }
    if (msg.contains("result") && !started) {
      started = true;
      prompt(send);
      return true;
    }
    const auto* p = msg.if_contains("params");
    if (!p || !p->is_object()) return true;
    const auto& params = p->as_object();
    const auto* k = params.if_contains("kind");
    if (!k || !k->is_string()) return true;
    const auto& data = params.at("data").as_object();
    if (k->as_string() == "approval_requested") {
      pending = std::string(data.at("approval_id").as_string());
      t0 = Clock::now();
      send(tether::proto::make_request(next_id++, "approval.respond", json::object{{"id", pending}, {"decision", "allow"}}));
    } else if (k->as_string() == "approval_resolved" && !pending.empty() && data.at("approval_id").is_string() &&
               data.at("approval_id").as_string() == pending) {
      samples.push_back(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count());
      pending.clear();
    } else if (k->as_string() == "status" && data.at("status").as_string() == "idle" && started && pending.empty()) {
      if (static_cast<long>(samples.size()) >= count) return false;
      prompt(send);
    }
    return true;
  };
  // Subscribe from the end: only this run's events matter.
  const std::string subscribe =
      tether::proto::make_request(1, "session.subscribe", json::object{{"session", session}, {"since", 1'000'000'000}});
  auto r = tether::cli::remote_exchange(*host, "", subscribe, std::chrono::seconds(600), true, on_message);
  if (!r) {
    std::fprintf(stderr, "%s\n", r.error().message.c_str());
    return 1;
  }
  json::array out;
  for (long s : samples) out.push_back(s);
  std::printf("%s\n", json::serialize(json::object{{"round_trips_us", out}}).c_str());
  return static_cast<long>(samples.size()) >= count ? 0 : 1;
}
