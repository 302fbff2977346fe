#include "daemon/refusal_audit.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace tether::daemon {
namespace {

std::int64_t unix_ms(RefusalAudit::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

std::vector<RefusalAudit::Row> RefusalAudit::refuse(const std::string& key, const std::string& source,
                                                    const std::string& reason, const std::string& target, TimePoint now) {
  namespace json = boost::json;
  std::vector<Row> out;
  if (!open_ || now >= start_ + interval_ || now < start_) {
    if (open_ && suppressed_ > 0) {
      out.push_back({"", json::serialize(json::object{{"reason", "suppressed"},
                                                      {"suppressed", suppressed_},
                                                      {"from", unix_ms(start_)},
                                                      {"to", unix_ms(start_ + interval_)}})});
    }
    open_ = true;
    start_ = now;
    written_.clear();
    suppressed_ = 0;
  }
  if (written_.size() < rows_ && written_.emplace(key, source).second) {
    out.push_back({target, json::serialize(json::object{{"reason", reason}, {"source", source}, {"key", key}})});
  } else {
    ++suppressed_;
  }
  return out;
}

}  // namespace tether::daemon
