// WsSession over TLS, compiled once here.
#include <boost/beast/websocket/ssl.hpp>

#include "net/detail/ws_session_impl.hpp"

namespace tether::net::detail {
template class WsSession<TlsStream>;
}  // namespace tether::net::detail
