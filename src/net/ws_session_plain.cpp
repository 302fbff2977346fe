// WsSession over plain TCP, compiled once here.
#include "net/detail/ws_session_impl.hpp"

namespace tether::net::detail {
template class WsSession<PlainStream>;
}  // namespace tether::net::detail
