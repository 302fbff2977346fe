#include "proto/json_numbers.hpp"

#include <cmath>
#include <vector>

namespace tether::proto {
namespace json = boost::json;

namespace {

// Visits every value under `root` without recursion (depth is the caller's parse limit, but
// this walk does not rely on it).
template <typename Value, typename Visit>
void each_value(Value& root, Visit visit) {
  std::vector<Value*> pending{&root};
  while (!pending.empty()) {
    Value* v = pending.back();
    pending.pop_back();
    visit(*v);
    if (auto* o = v->if_object()) {
      for (auto& entry : *o) pending.push_back(&entry.value());
    } else if (auto* a = v->if_array()) {
      for (auto& item : *a) pending.push_back(&item);
    }
  }
}

bool non_finite(const json::value& v) { return v.is_double() && !std::isfinite(v.get_double()); }

}  // namespace

std::size_t count_non_finite(const json::value& value) {
  std::size_t n = 0;
  each_value(value, [&n](const json::value& v) { n += non_finite(v) ? 1 : 0; });
  return n;
}

std::size_t null_non_finite(json::value& value) {
  std::size_t n = 0;
  each_value(value, [&n](json::value& v) {
    if (!non_finite(v)) return;
    v = nullptr;
    ++n;
  });
  return n;
}

}  // namespace tether::proto
