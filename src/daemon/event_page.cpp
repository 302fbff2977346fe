#include "daemon/event_page.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace tether::daemon {
namespace {

namespace json = boost::json;

// Rows read from the store at a time, so a page stopped by bytes reads little past it.
constexpr std::size_t kReadBatch = 256;

json::object event_object(const store::Event& e) {
  boost::system::error_code ec;
  json::value data = json::parse(e.data, ec);
  return json::object{{"seq", e.seq}, {"time", store::to_unix_ms(e.time)}, {"kind", e.kind},
                      {"data", ec ? json::value(json::object{}) : std::move(data)}};
}

}  // namespace

core::Result<json::object> events_page(store::EventStore& events, std::string_view session, std::int64_t since,
                                       std::size_t limit) {
  json::array out;
  std::size_t bytes = 0;
  std::int64_t next = since;
  bool full = false;
  while (!full && out.size() < limit) {
    const std::size_t asked = std::min(kReadBatch, limit - out.size());
    auto rows = events.read(session, next, asked);
    if (!rows) return rows.error();
    for (const auto& row : *rows) {
      json::object e = event_object(row);
      const std::size_t size = json::serialize(e).size() + 1;  // and its comma
      if (out.empty() && size > kMaxEventReplyBytes) {
        return core::make_error(core::Errc::too_large,
                                fmt::format("event {} is {} bytes of JSON, over the {} a reply may carry; read on with since {}",
                                            row.seq, size, kMaxEventReplyBytes, row.seq));
      }
      if (!out.empty() && bytes + size > kEventsPageBytes) {
        full = true;
        break;
      }
      bytes += size;
      next = row.seq;
      out.push_back(std::move(e));
    }
    if (rows->size() < asked) break;  // the log's end
  }
  auto last = events.last_seq(session);
  if (!last) return last.error();
  return json::object{{"session", session}, {"events", std::move(out)}, {"more", *last > next}, {"since", next}};
}

}  // namespace tether::daemon
