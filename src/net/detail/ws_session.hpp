// The Beast WebSocket session behind net::WebSocket, for src/net/*.cpp only.
// One reader coroutine per socket, and a writer coroutine only while its byte-bounded
// queue holds something (an idle socket keeps no writer coroutine and no queue).
// Instantiated once per stream type in ws_session_plain.cpp / ws_session_tls.cpp.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/websocket.hpp"

namespace tether::net::detail {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;
using UpgradeRequest = boost::beast::http::request<boost::beast::http::empty_body>;

// Process-wide connection ids (server and client sockets share the space).
std::uint64_t next_connection_id();

template <class Stream>
class WsSession final : public WebSocket, public std::enable_shared_from_this<WsSession<Stream>> {
 public:
  // `keepalive` is held until the session ends (a TLS context, a connection slot).
  WsSession(Stream&& stream, std::uint64_t id, std::string remote_address, const WsLimits& limits,
            std::shared_ptr<void> keepalive);
  ~WsSession() override;

  // Server side: answers the upgrade request (Beast writes 400 for a bad one).
  boost::asio::awaitable<boost::system::error_code> accept(UpgradeRequest request);
  // Client side: sends the upgrade request and checks the answer.
  boost::asio::awaitable<boost::system::error_code> handshake(std::string host, std::string target);
  // Starts reading and writing; call after the handlers are set.
  void start();

  std::uint64_t id() const override { return id_; }
  const std::string& remote_address() const override { return remote_; }
  void set_handlers(WsHandlers handlers) override { handlers_ = std::move(handlers); }
  bool send(std::string data, bool binary) override;
  void close(std::uint16_t code, std::string reason) override;
  void abort() override;
  void pause_reading() override { paused_ = true; }
  void resume_reading() override;
  std::size_t queued_bytes() const override { return queued_bytes_; }

 private:
  struct Frame {
    std::string data;
    bool binary;
  };

  boost::asio::awaitable<void> reader();
  boost::asio::awaitable<void> writer();
  void ensure_writer();
  void apply_options();
  void read_ended(const boost::system::error_code& ec);
  void note_end(WsEndCause cause, std::uint16_t code, std::string reason);
  void close_socket();
  void close_frame_received();
  void notify_end();
  void coroutine_done(std::exception_ptr e, bool reader);

  boost::beast::websocket::stream<Stream> ws_;
  boost::asio::steady_timer read_wake_;
  boost::asio::steady_timer close_deadline_;
  std::uint64_t id_;
  std::string remote_;
  WsLimits limits_;
  std::shared_ptr<void> keepalive_;
  WsHandlers handlers_;
  // Frames from queue_[queue_head_] on wait; emptied (and trimmed) whenever drained.
  std::vector<Frame> queue_;
  std::size_t queue_head_ = 0;
  std::size_t queued_bytes_ = 0;
  std::optional<WsEnd> end_;
  std::uint16_t close_code_ = 1000;
  std::string close_reason_;
  bool started_ = false;
  bool paused_ = false;
  bool close_requested_ = false;
  bool close_sent_ = false;  // the writer has sent (or is sending) the close frame
  bool socket_closed_ = false;
  bool reader_running_ = false;
  bool writer_running_ = false;
  bool finished_ = false;
  bool end_posted_ = false;    // a close frame arrived: on_end is on its way
  bool end_notified_ = false;  // on_end has run (the TCP teardown may still be going on)
};

extern template class WsSession<PlainStream>;
extern template class WsSession<TlsStream>;

}  // namespace tether::net::detail
