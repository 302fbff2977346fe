// A Connection that keeps every notification line, for the daemon's unit tests, with readers
// for the session.event lines among them.
#pragma once

#include <boost/json/parse.hpp>
#include <boost/json/value_to.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "daemon/live_connections.hpp"

namespace tether::daemon {

struct RecordingConnection : Connection {
  void push(std::string line) override { lines.push_back(std::move(line)); }
  std::size_t queued_bytes() const override { return queued; }
  void revoke() override { ++revoked; }
  void set_role(proto::Role r) override { role = r; }
  std::vector<std::string> lines;
  int revoked = 0;
  std::optional<proto::Role> role;
  std::size_t queued = 0;  // what queued_bytes() reports

  // `field` of every session.event's params, in order.
  template <class T>
  std::vector<T> events(const char* field) const {
    std::vector<T> out;
    for (const auto& l : lines) {
      const auto v = boost::json::parse(l).as_object();
      if (v.at("method").as_string() == "session.event") out.push_back(boost::json::value_to<T>(v.at("params").at(field)));
    }
    return out;
  }
  std::vector<std::int64_t> seqs() const { return events<std::int64_t>("seq"); }
  std::vector<std::string> kinds() const { return events<std::string>("kind"); }
  std::size_t overflows() const {
    std::size_t n = 0;
    for (const auto& l : lines) n += boost::json::parse(l).at("method").as_string() == "session.overflow";
    return n;
  }
};

}  // namespace tether::daemon
