// The Beast side of net/request_head.hpp, shared by the HTTP server's read loop and
// parse_request_head: one parser configuration, one set of checks on what it parsed.
// For src/net/*.cpp only: it includes Boost.Beast.
#pragma once

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/system/error_code.hpp>

#include "net/request_head.hpp"

namespace tether::net::detail {

using HeadParser = boost::beast::http::request_parser<boost::beast::http::empty_body>;
using ParsedHead = boost::beast::http::request<boost::beast::http::empty_body>;

void limit_head(HeadParser& parser, std::size_t max_header_bytes);

// The answer to a request the parser refused with `ec`: 431 when too large, else 400.
HeadRefusal refuse_unparsed(const boost::system::error_code& ec);

// The request as handlers see it, or its refusal.
HeadOutcome check_head(const ParsedHead& request);

}  // namespace tether::net::detail
