// The server side of a WebSocket over plain TCP, for src/net/*.cpp only: the HTTP
// server answers the upgrade, then hands the socket here. Frames are parsed from large
// reads (net::WsFrameReader) and everything queued for the socket goes out in as few
// writes as the kernel takes, so a busy socket makes one system call per burst, not
// per frame. An idle socket holds no buffer and no timer: one readiness wait and its
// state; one ticker per event loop checks every socket's idle pings and closing deadline.
// Behaves as net::WebSocket documents, like the Beast session it replaces on plain TCP.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>

#include <cstdint>
#include <memory>
#include <string>

#include "net/websocket.hpp"
#include "net/ws_frame.hpp"

namespace tether::net::detail {

class PlainWsSession final : public WebSocket, public std::enable_shared_from_this<PlainWsSession> {
 public:
  // The socket is bound to the io_context's own executor rather than the type-erased
  // one: its pending operation then carries 8 bytes of executor, not ~50.
  using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;
  using Clock = std::chrono::steady_clock;
  class Ticker;

  // `early` is what the client sent after its upgrade request (read with it); `keepalive`
  // is held until the socket is closed (a connection slot).
  PlainWsSession(boost::asio::ip::tcp::socket socket, std::uint64_t id, std::string remote_address,
                 const WsLimits& limits, std::string early, std::shared_ptr<void> keepalive);
  ~PlainWsSession() override;

  // Starts reading (and the idle checks); call after the handlers are set.
  void start();

  std::uint64_t id() const override { return id_; }
  const std::string& remote_address() const override { return remote_; }
  void set_handlers(WsHandlers handlers) override { handlers_ = std::move(handlers); }
  bool send(std::string data, bool binary) override;
  void close(std::uint16_t code, std::string reason) override;
  void abort() override;
  void pause_reading() override { paused_ = true; }
  void resume_reading() override;
  std::size_t queued_bytes() const override { return out_.size() - out_sent_; }

 private:
  void arm_read();
  void on_readable();
  // Handles the input held in in_ (and then more from the socket) until it runs out, a
  // pause, or the end.
  void process_held();
  // Handles complete frames from the front of `bytes`; returns how many bytes it used.
  std::size_t process(std::string_view bytes);
  bool handle(WsInput&& in);
  void queue_frame(WsOpcode opcode, std::string_view payload);
  void schedule_flush();
  void flush();
  void fail_protocol(const WsInput& in);
  void begin_closing_handshake_deadline();
  // Called by the ticker about twice a second.
  void on_tick(Clock::time_point now);
  void after_close_frames();
  void transport_ended(std::string why);
  void note_end(WsEndCause cause, std::uint16_t code, std::string reason);
  void post_end();
  void notify_end();
  void close_socket();

  Socket socket_;
  std::shared_ptr<Ticker> ticker_;  // set from start() until the socket closes
  std::size_t ticker_slot_ = 0;
  Clock::time_point next_idle_check_;
  Clock::time_point close_deadline_ = Clock::time_point::max();
  std::uint64_t id_;
  std::string remote_;
  WsLimits limits_;
  std::shared_ptr<void> keepalive_;
  WsHandlers handlers_;
  WsFrameReader reader_;
  std::string in_;   // input not yet handled: an incomplete frame, or what waits while paused
  std::string out_;  // framed bytes for the socket; out_[0, out_sent_) is already written
  std::size_t out_sent_ = 0;
  std::unique_ptr<WsEnd> end_;  // why it ended, once known (the first cause wins)
  std::string close_reason_;
  std::uint16_t close_code_ = 1000;
  // Flags as bits: a relay holds two sessions for every idle pair.
  bool started_ : 1 = false;
  bool paused_ : 1 = false;
  bool read_waiting_ : 1 = false;
  bool write_waiting_ : 1 = false;
  bool flush_posted_ : 1 = false;
  bool input_seen_ : 1 = false;  // any byte since the last idle check
  bool ping_outstanding_ : 1 = false;
  bool closing_ : 1 = false;         // a close frame is queued or sent: nothing more goes out
  bool close_received_ : 1 = false;  // the peer's close frame arrived: nothing more is read as frames
  bool fin_sent_ : 1 = false;        // both close frames done: our FIN is out, draining to the peer's
  bool socket_closed_ : 1 = false;
  bool end_posted_ : 1 = false;
  bool end_notified_ : 1 = false;
};

}  // namespace tether::net::detail
