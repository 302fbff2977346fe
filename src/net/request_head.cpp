#include "net/request_head.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "net/detail/request_head.hpp"

namespace tether::net {

namespace http = boost::beast::http;

namespace detail {

void limit_head(HeadParser& parser, std::size_t max_header_bytes) {
  parser.header_limit(static_cast<std::uint32_t>(max_header_bytes));
}

HeadRefusal refuse_unparsed(const boost::system::error_code& ec) {
  if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
    return {431, "request headers too large\n", HttpEvent::header_too_large};
  }
  return {400, "bad request\n", HttpEvent::bad_request};
}

HeadOutcome check_head(const ParsedHead& request) {
  // RFC 9112 section 3.2: a request with more than one Host field, or an HTTP/1.1 request
  // with none, is answered 400 — the Host check must not see only the first of two.
  if (const auto hosts = request.count(http::field::host); hosts > 1 || (hosts == 0 && request.version() >= 11)) {
    return HeadRefusal{400, hosts > 1 ? "more than one Host header\n" : "no Host header\n", HttpEvent::bad_request};
  }
  RequestHead head;
  head.version = request.version();
  head.keep_alive = request.keep_alive();
  head.head = request.method() == http::verb::head;
  HttpRequest& req = head.request;
  req.method = std::string(request.method_string());
  req.target = std::string(request.target());
  req.host = std::string(request[http::field::host]);
  req.origin = std::string(request[http::field::origin]);
  req.websocket = boost::beast::websocket::is_upgrade(request);
  if (req.websocket && !valid_websocket_key(request[http::field::sec_websocket_key])) {
    return HeadRefusal{400, "bad Sec-WebSocket-Key\n", HttpEvent::websocket_handshake_failed};
  }
  return head;
}

}  // namespace detail

HeadOutcome parse_request_head(std::string_view bytes, std::size_t max_header_bytes, std::size_t& used) {
  detail::HeadParser parser;
  detail::limit_head(parser, max_header_bytes);
  used = 0;
  // As http::read does: put what is held until the message is done; need_more with
  // nothing left to put waits for the next read.
  while (!parser.is_done()) {
    boost::system::error_code ec;
    const std::size_t n = parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    used += n;
    if (ec == http::error::need_more) {
      if (n == 0) return HeadIncomplete{};
      continue;
    }
    if (ec) return detail::refuse_unparsed(ec);
  }
  return detail::check_head(parser.get());
}

// Beast only checks the key's length, so the rest is checked here.
bool valid_websocket_key(std::string_view key) {
  if (key.size() != 24 || !key.ends_with("==")) return false;
  for (std::size_t i = 0; i < 22; ++i) {
    const char c = key[i];
    const bool b64 = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (!b64) return false;
  }
  return std::string_view("AQgw").find(key[21]) != std::string_view::npos;  // no stray low bits
}

}  // namespace tether::net
