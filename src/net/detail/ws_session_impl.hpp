// WsSession's member definitions. Included only by the two files that instantiate
// it (ws_session_plain.cpp, ws_session_tls.cpp), so its coroutines compile twice, not
// in every user of the session.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/websocket.hpp>

#include <spdlog/spdlog.h>

#include "core/utf8.hpp"
#include "net/detail/ws_session.hpp"

namespace tether::net::detail {

namespace ws_impl {
namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
// A drained queue that had grown past this many frames gives its memory back.
constexpr std::size_t kKeptQueueFrames = 16;
constexpr std::size_t kMaxCloseReason = 123;  // RFC 6455: the close payload is at most 125 bytes
}  // namespace ws_impl

template <class Stream>
WsSession<Stream>::WsSession(Stream&& stream, std::uint64_t id, std::string remote_address, const WsLimits& limits,
                             std::shared_ptr<void> keepalive)
    : ws_(std::move(stream)),
      read_wake_(ws_.get_executor()),
      close_deadline_(ws_.get_executor()),
      id_(id),
      remote_(std::move(remote_address)),
      limits_(limits),
      keepalive_(std::move(keepalive)) {}

template <class Stream>
WsSession<Stream>::~WsSession() = default;

template <class Stream>
void WsSession<Stream>::apply_options() {
  using namespace ws_impl;
  websocket::stream_base::timeout t{};
  t.handshake_timeout = limits_.handshake_timeout;
  if (limits_.idle_timeout.count() > 0) {
    t.idle_timeout = limits_.idle_timeout;
    t.keep_alive_pings = true;
  } else {
    t.idle_timeout = websocket::stream_base::none();
    t.keep_alive_pings = false;
  }
  ws_.set_option(t);
  ws_.read_message_max(limits_.max_message_bytes);
  ws_.auto_fragment(false);  // one message goes out as one frame, unchanged
  ws_.control_callback([this](websocket::frame_type kind, boost::beast::string_view) {
    if (kind == websocket::frame_type::close) close_frame_received();
  });
  boost::beast::get_lowest_layer(ws_).expires_never();  // the WebSocket timeouts take over
}

template <class Stream>
boost::asio::awaitable<boost::system::error_code> WsSession<Stream>::accept(UpgradeRequest request) {
  using namespace ws_impl;
  apply_options();
  auto [ec] = co_await ws_.async_accept(request, use_tuple);
  co_return ec;
}

template <class Stream>
boost::asio::awaitable<boost::system::error_code> WsSession<Stream>::handshake(std::string host, std::string target) {
  using namespace ws_impl;
  apply_options();
  auto [ec] = co_await ws_.async_handshake(host, target, use_tuple);
  co_return ec;
}

template <class Stream>
void WsSession<Stream>::start() {
  using namespace ws_impl;
  started_ = true;
  reader_running_ = true;
  auto self = this->shared_from_this();
  asio::co_spawn(ws_.get_executor(), reader(), [self](std::exception_ptr e) { self->coroutine_done(e, true); });
  ensure_writer();
}

// The writer runs while there is something to write (or a close to send), then ends;
// writer_running_ is cleared by the writer itself, so a send right after it ended
// starts a new one.
template <class Stream>
void WsSession<Stream>::ensure_writer() {
  using namespace ws_impl;
  if (writer_running_ || !started_ || finished_ || socket_closed_ || close_sent_) return;
  if (queue_head_ == queue_.size() && !close_requested_) return;
  writer_running_ = true;
  asio::co_spawn(ws_.get_executor(), writer(),
                 [self = this->shared_from_this()](std::exception_ptr e) { self->coroutine_done(e, false); });
}

template <class Stream>
bool WsSession<Stream>::send(std::string data, bool binary) {
  if (close_requested_ || socket_closed_ || finished_ || end_) return false;
  if (queue_head_ != queue_.size() && queued_bytes_ + data.size() > limits_.max_queued_bytes) {
    note_end(WsEndCause::write_queue_full, 1006, "write queue full");
    close_socket();
    return false;
  }
  queued_bytes_ += data.size();
  queue_.push_back(Frame{std::move(data), binary});
  ensure_writer();
  return true;
}

template <class Stream>
void WsSession<Stream>::close(std::uint16_t code, std::string reason) {
  using namespace ws_impl;
  if (close_requested_ || socket_closed_ || finished_) return;
  close_requested_ = true;
  close_code_ = code;
  if (reason.size() > kMaxCloseReason) reason.resize(core::cut_utf8(reason, kMaxCloseReason).size());
  close_reason_ = std::move(reason);
  close_deadline_.expires_after(limits_.handshake_timeout);
  close_deadline_.async_wait([weak = this->weak_from_this()](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self) return;
    self->note_end(WsEndCause::closed_by_us, self->close_code_, self->close_reason_);
    self->close_socket();
  });
  ensure_writer();
  read_wake_.cancel();
}

template <class Stream>
void WsSession<Stream>::abort() {
  note_end(WsEndCause::aborted, 1006, "aborted");
  close_socket();
}

template <class Stream>
void WsSession<Stream>::resume_reading() {
  paused_ = false;
  read_wake_.cancel();
}

// The close handshake is done as far as the application is concerned: tell the owner
// now (after this Beast callback returns), not after the TCP teardown, which waits for
// the peer's FIN — bounded by handshake_timeout.
template <class Stream>
void WsSession<Stream>::close_frame_received() {
  using namespace ws_impl;
  if (close_requested_) {
    note_end(WsEndCause::closed_by_us, close_code_, close_reason_);
  } else {
    const auto& r = ws_.reason();
    note_end(WsEndCause::closed_by_peer, r.code, std::string(r.reason.data(), r.reason.size()));
  }
  if (end_posted_) return;
  end_posted_ = true;
  close_deadline_.expires_after(limits_.handshake_timeout);
  close_deadline_.async_wait([weak = this->weak_from_this()](const boost::system::error_code& ec) {
    if (auto self = weak.lock(); self && !ec) self->close_socket();
  });
  asio::post(ws_.get_executor(), [self = this->shared_from_this()] { self->notify_end(); });
}

template <class Stream>
void WsSession<Stream>::notify_end() {
  if (end_notified_) return;
  end_notified_ = true;
  auto handlers = std::move(handlers_);
  handlers_ = {};
  if (handlers.on_end) {
    try {
      handlers.on_end(*this, end_.value_or(WsEnd{}));
    } catch (const std::exception& ex) {
      spdlog::error("websocket {}: on_end: {}", id_, ex.what());
    }
  }
}

template <class Stream>
void WsSession<Stream>::note_end(WsEndCause cause, std::uint16_t code, std::string reason) {
  if (!end_) end_ = WsEnd{cause, code, std::move(reason)};
}

template <class Stream>
void WsSession<Stream>::close_socket() {
  if (socket_closed_) return;
  socket_closed_ = true;
  boost::system::error_code ignored;
  boost::beast::get_lowest_layer(ws_).socket().close(ignored);
  read_wake_.cancel();
}

template <class Stream>
boost::asio::awaitable<void> WsSession<Stream>::reader() {
  using namespace ws_impl;
  for (;;) {
    // Read straight into the message's own string, which is then handed over: a message
    // is not copied on its way out. (Beast prepares the buffer, 1536 bytes, before the
    // first byte arrives, so an idle socket still holds that much.)
    std::string data;
    auto buffer = asio::dynamic_buffer(data);
    auto [ec, n] = co_await ws_.async_read(buffer, use_tuple);
    if (ec) {
      read_ended(ec);
      co_return;
    }
    const bool binary = ws_.got_binary();
    // Paused: hold this one message and read nothing more until resumed.
    while (paused_ && !close_requested_ && !socket_closed_) {
      read_wake_.expires_at(asio::steady_timer::time_point::max());
      co_await read_wake_.async_wait(use_tuple);
    }
    if (close_requested_ || socket_closed_ || end_) continue;  // closing: drop input, wait for the close answer
    if (handlers_.on_message) handlers_.on_message(*this, std::move(data), binary);
  }
}

template <class Stream>
void WsSession<Stream>::read_ended(const boost::system::error_code& ec) {
  using namespace ws_impl;
  if (ec == websocket::error::closed) {
    if (close_requested_) {
      note_end(WsEndCause::closed_by_us, close_code_, close_reason_);
    } else {
      const auto& r = ws_.reason();
      note_end(WsEndCause::closed_by_peer, r.code, std::string(r.reason.data(), r.reason.size()));
    }
  } else if (ec == websocket::error::message_too_big) {
    note_end(WsEndCause::message_too_big, 1009, "message too big");
  } else if (close_requested_) {
    note_end(WsEndCause::closed_by_us, close_code_, close_reason_);
  } else if (ec == boost::beast::error::timeout) {
    note_end(WsEndCause::idle_timeout, 1006, "idle timeout");
  } else if (ec == websocket::condition::protocol_violation) {
    note_end(WsEndCause::protocol_error, 1002, ec.message());
  } else {
    note_end(WsEndCause::connection_lost, 1006, ec.message());
  }
  close_socket();
}

template <class Stream>
boost::asio::awaitable<void> WsSession<Stream>::writer() {
  using namespace ws_impl;
  for (;;) {
    if (socket_closed_) break;
    if (queue_head_ == queue_.size()) {
      queue_.clear();
      queue_head_ = 0;
      if (queue_.capacity() > kKeptQueueFrames) queue_.shrink_to_fit();
      if (close_requested_) {
        // Completes once our close frame is out; the reader sees the peer's answer.
        close_sent_ = true;
        websocket::close_reason reason(close_code_);
        reason.reason = close_reason_;
        co_await ws_.async_close(reason, use_tuple);
      }
      break;
    }
    // The frame stays in the queue (and its bytes counted) until written; sends meanwhile
    // may grow the vector, so it is moved out for the write.
    Frame frame = std::move(queue_[queue_head_]);
    ws_.binary(frame.binary);
    auto [ec, n] = co_await ws_.async_write(asio::buffer(frame.data), use_tuple);
    if (ec) {
      close_socket();  // the reader reports why
      break;
    }
    queued_bytes_ -= frame.data.size();
    ++queue_head_;
  }
  writer_running_ = false;
}

template <class Stream>
void WsSession<Stream>::coroutine_done(std::exception_ptr e, bool reader) {
  if (e) {
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::error("websocket {}: {}", id_, ex.what());
    } catch (...) {
      spdlog::error("websocket {}: unknown exception", id_);
    }
    note_end(WsEndCause::aborted, 1011, "internal error");
    close_socket();
  }
  // The writer clears its own flag when it ends normally (a new one may already run).
  if (reader || e) (reader ? reader_running_ : writer_running_) = false;
  if (reader_running_ || writer_running_ || finished_) return;
  finished_ = true;
  close_deadline_.cancel();
  close_socket();
  queue_.clear();
  queue_head_ = 0;
  queued_bytes_ = 0;
  notify_end();
  keepalive_.reset();
}

}  // namespace tether::net::detail
