#include "proto/json_checks.hpp"

#include <boost/json/serialize.hpp>

#include <cmath>
#include <vector>

#include "core/utf8.hpp"

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

std::string serialize_utf8(const json::value& value) {
  std::string text = json::serialize(value);
  if (core::utf8_valid(text)) return text;
  const auto repaired = [](std::string_view s) {
    std::string out;
    core::utf8_prefix(s, s.size() * 3, out);  // room for every byte becoming U+FFFD
    return out;
  };
  json::value copy = value;
  each_value(copy, [&repaired](json::value& v) {
    if (auto* s = v.if_string()) {
      if (!core::utf8_valid(*s)) *s = repaired(*s);
    } else if (auto* o = v.if_object()) {
      std::vector<std::string> bad;
      for (const auto& entry : *o) {
        if (!core::utf8_valid(entry.key())) bad.emplace_back(entry.key());
      }
      for (const auto& key : bad) {
        json::value moved = std::move(o->at(key));
        o->erase(key);
        (*o)[repaired(key)] = std::move(moved);
      }
    }
  });
  return json::serialize(copy);
}

}  // namespace tether::proto
