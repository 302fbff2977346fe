#include "core/utf8.hpp"
#include "net/detail/plain_ws_session.hpp"

#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/query.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <vector>

namespace tether::net::detail {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

constexpr std::size_t kReadSize = 64 * 1024;
constexpr int kReadsPerWake = 4;  // then other sockets get their turn
constexpr std::size_t kMaxCloseReason = 123;

// One read buffer per thread, shared by every socket: an idle socket holds none.
char* read_buffer() {
  static thread_local std::array<char, kReadSize> buffer;
  return buffer.data();
}

bool would_block(const boost::system::error_code& ec) {
  return ec == asio::error::would_block || ec == asio::error::try_again;
}

// The same descriptor, on the io_context's own executor type.
PlainWsSession::Socket adopt(tcp::socket socket) {
  auto& io = static_cast<asio::io_context&>(asio::query(socket.get_executor(), asio::execution::context));
  boost::system::error_code ec;
  const auto protocol = socket.local_endpoint(ec).protocol();
  const auto handle = ec ? -1 : socket.release(ec);
  if (ec) return PlainWsSession::Socket(io.get_executor());  // already gone: start() will say so
  return PlainWsSession::Socket(io.get_executor(), protocol, handle);
}

// Drops a string's memory once it is empty, so an idle socket keeps none.
void release_if_empty(std::string& s) {
  if (s.empty() && s.capacity() > 0) std::string().swap(s);
}

}  // namespace

// One timer for every plain WebSocket of an event loop (it runs while there are any):
// each tick visits them all for their idle pings and closing deadlines. A socket holds a
// slot in a vector rather than a timer and a pending wait of its own.
class PlainWsSession::Ticker : public std::enable_shared_from_this<Ticker> {
 public:
  static constexpr auto kPeriod = std::chrono::milliseconds(500);

  explicit Ticker(asio::io_context& io) : io_(io), timer_(io.get_executor()) {}

  // The ticker of this thread's loop, made on first use.
  static std::shared_ptr<Ticker> of(asio::io_context& io) {
    thread_local std::weak_ptr<Ticker> current;
    auto ticker = current.lock();
    if (!ticker || &ticker->io_ != &io) {
      ticker = std::make_shared<Ticker>(io);
      current = ticker;
    }
    return ticker;
  }

  void add(PlainWsSession& s) {
    s.ticker_slot_ = sessions_.size();
    sessions_.push_back(&s);
    if (sessions_.size() == 1) arm();
  }

  // Swap-remove: in the middle of a tick, the session moved into the slot waits one tick.
  void remove(PlainWsSession& s) {
    const std::size_t slot = s.ticker_slot_;
    if (slot >= sessions_.size() || sessions_[slot] != &s) return;
    sessions_[slot] = sessions_.back();
    sessions_[slot]->ticker_slot_ = slot;
    sessions_.pop_back();
    if (sessions_.empty()) timer_.cancel();
  }

 private:
  void arm() {
    timer_.expires_after(kPeriod);
    timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
      if (auto self = weak.lock(); self && !ec) self->tick();
    });
  }

  void tick() {
    const auto now = Clock::now();
    for (std::size_t i = 0; i < sessions_.size(); ++i) {
      if (auto s = sessions_[i]->weak_from_this().lock()) s->on_tick(now);
    }
    if (!sessions_.empty()) arm();
  }

  asio::io_context& io_;
  asio::basic_waitable_timer<Clock, asio::wait_traits<Clock>, asio::io_context::executor_type> timer_;
  std::vector<PlainWsSession*> sessions_;
};

PlainWsSession::PlainWsSession(tcp::socket socket, std::uint64_t id, std::string remote_address,
                               const WsLimits& limits, std::string early, std::shared_ptr<void> keepalive)
    : socket_(adopt(std::move(socket))),
      id_(id),
      remote_(std::move(remote_address)),
      limits_(limits),
      keepalive_(std::move(keepalive)),
      reader_(limits.max_message_bytes),
      in_(std::move(early)) {}

PlainWsSession::~PlainWsSession() {
  if (ticker_) ticker_->remove(*this);
}

void PlainWsSession::start() {
  if (started_ || socket_closed_) return;
  started_ = true;
  boost::system::error_code ec;
  socket_.non_blocking(true, ec);
  if (ec) {
    note_end(WsEndCause::connection_lost, 1006, ec.message());
    close_socket();
    return;
  }
  ticker_ = Ticker::of(socket_.get_executor().context());
  ticker_->add(*this);
  next_idle_check_ = Clock::now() + limits_.idle_timeout / 2;
  if (in_.empty()) {
    arm_read();
  } else {
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->process_held(); });
  }
  if (queued_bytes() > 0) schedule_flush();
}

bool PlainWsSession::send(std::string data, bool binary) {
  if (closing_ || socket_closed_ || end_) return false;
  if (queued_bytes() > 0 && queued_bytes() + data.size() > limits_.max_queued_bytes) {
    note_end(WsEndCause::write_queue_full, 1006, "write queue full");
    close_socket();
    return false;
  }
  queue_frame(binary ? WsOpcode::binary : WsOpcode::text, data);
  return true;
}

void PlainWsSession::close(std::uint16_t code, std::string reason) {
  if (closing_ || socket_closed_) return;
  if (reason.size() > kMaxCloseReason) reason.resize(core::cut_utf8(reason, kMaxCloseReason).size());
  close_code_ = code;
  close_reason_ = std::move(reason);
  closing_ = true;
  append_ws_frame(out_, WsOpcode::close, ws_close_payload(close_code_, close_reason_));
  schedule_flush();
  begin_closing_handshake_deadline();
  // Read on, even if paused, to see the answer; what waits in in_ is dropped there.
  if (started_) {
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->process_held(); });
  }
}

void PlainWsSession::abort() {
  note_end(WsEndCause::aborted, 1006, "aborted");
  close_socket();
}

void PlainWsSession::resume_reading() {
  if (!paused_) return;
  paused_ = false;
  if (!started_) return;
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->process_held(); });
}

void PlainWsSession::arm_read() {
  if (read_waiting_ || socket_closed_ || !started_ || (paused_ && !closing_)) return;
  read_waiting_ = true;
  socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](const boost::system::error_code& ec) {
    self->read_waiting_ = false;
    if (!ec) self->on_readable();
  });
}

void PlainWsSession::on_readable() {
  char* buffer = read_buffer();
  for (int round = 0; round < kReadsPerWake; ++round) {
    if (socket_closed_ || (paused_ && !closing_)) return;
    boost::system::error_code ec;
    const std::size_t n = socket_.read_some(asio::buffer(buffer, kReadSize), ec);
    if (would_block(ec)) break;
    if (ec) {
      transport_ended(ec == asio::error::eof ? "connection closed without a close frame" : ec.message());
      return;
    }
    input_seen_ = true;
    if (close_received_) continue;  // the frames are done: drain to the peer's FIN
    if (in_.empty()) {
      const std::size_t used = process(std::string_view(buffer, n));
      if (used < n && !socket_closed_ && !close_received_) in_.assign(buffer + used, n - used);
    } else {
      in_.append(buffer, n);
      const std::size_t used = process(in_);
      in_.erase(0, std::min(used, in_.size()));
    }
    if (socket_closed_ || close_received_) in_ = std::string();
    release_if_empty(in_);
    if (n < kReadSize) break;
  }
  arm_read();
}

void PlainWsSession::process_held() {
  if (socket_closed_) return;
  if (!in_.empty() && !close_received_) {
    const std::size_t used = process(in_);
    in_.erase(0, std::min(used, in_.size()));
  }
  if (socket_closed_ || close_received_) in_ = std::string();
  release_if_empty(in_);
  arm_read();
}

std::size_t PlainWsSession::process(std::string_view bytes) {
  std::size_t off = 0;
  while (!socket_closed_ && !close_received_ && !(paused_ && !closing_)) {
    std::size_t used = 0;
    WsInput in = reader_.next(bytes.substr(off), used);
    if (in.kind == WsInput::Kind::need_more) {
      if (in_.empty() && reader_.pending_frame_size() > kReadSize) in_.reserve(reader_.pending_frame_size());
      break;
    }
    off += used;
    if (!handle(std::move(in))) break;
  }
  return (socket_closed_ || close_received_) ? bytes.size() : off;
}

bool PlainWsSession::handle(WsInput&& in) {
  switch (in.kind) {
    case WsInput::Kind::need_more:
    case WsInput::Kind::fragment:
      return true;
    case WsInput::Kind::message:
      if (closing_ || end_) return true;  // closing: input is dropped until the peer's close
      if (handlers_.on_message) handlers_.on_message(*this, std::move(in.data), in.binary);
      return !socket_closed_;
    case WsInput::Kind::ping:
      if (!closing_) queue_frame(WsOpcode::pong, in.data);
      return true;
    case WsInput::Kind::pong:
      ping_outstanding_ = false;
      return true;
    case WsInput::Kind::close:
      close_received_ = true;
      if (closing_) {
        note_end(WsEndCause::closed_by_us, close_code_, close_reason_);
      } else {
        note_end(WsEndCause::closed_by_peer, in.code, in.data);
        closing_ = true;
        // Echo the code (none when the peer sent none), as RFC 6455 §5.5.1 asks.
        append_ws_frame(out_, WsOpcode::close, in.code == 1005 ? std::string() : ws_close_payload(in.code, ""));
        schedule_flush();
        begin_closing_handshake_deadline();
      }
      post_end();
      after_close_frames();
      return false;
    case WsInput::Kind::error:
      fail_protocol(in);
      return false;
  }
  return false;
}

void PlainWsSession::fail_protocol(const WsInput& in) {
  note_end(in.cause, in.code, in.data);
  close_received_ = true;  // nothing more is read as frames
  if (!closing_) {
    closing_ = true;
    close_code_ = in.code;
    close_reason_ = in.data;
    append_ws_frame(out_, WsOpcode::close, ws_close_payload(in.code, in.data));
    schedule_flush();
    begin_closing_handshake_deadline();
  }
  after_close_frames();
}

void PlainWsSession::queue_frame(WsOpcode opcode, std::string_view payload) {
  append_ws_frame(out_, opcode, payload);
  schedule_flush();
}

// Writes happen after the handler that queued them returns, so every frame queued while
// handling one read (many messages, the peer's and ours) leaves in one write.
void PlainWsSession::schedule_flush() {
  if (flush_posted_ || write_waiting_ || socket_closed_ || !started_) return;
  flush_posted_ = true;
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->flush_posted_ = false;
    self->flush();
  });
}

void PlainWsSession::flush() {
  if (socket_closed_ || write_waiting_) return;
  while (out_sent_ < out_.size()) {
    boost::system::error_code ec;
    const std::size_t n = socket_.write_some(asio::buffer(out_.data() + out_sent_, out_.size() - out_sent_), ec);
    if (would_block(ec)) {
      write_waiting_ = true;
      socket_.async_wait(tcp::socket::wait_write, [self = shared_from_this()](const boost::system::error_code& e) {
        self->write_waiting_ = false;
        if (!e) self->flush();
      });
      return;
    }
    if (ec) {
      transport_ended(ec.message());
      return;
    }
    out_sent_ += n;
  }
  out_.clear();
  out_sent_ = 0;
  release_if_empty(out_);
  after_close_frames();
}

// Both close frames are done (ours written, theirs read, or a protocol error ended the
// input): send our FIN and read to the peer's, within the closing deadline.
void PlainWsSession::after_close_frames() {
  if (!close_received_ || !closing_ || fin_sent_ || socket_closed_ || queued_bytes() > 0) return;
  fin_sent_ = true;
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
  arm_read();
}

void PlainWsSession::begin_closing_handshake_deadline() {
  close_deadline_ = Clock::now() + limits_.handshake_timeout;
}

// Idle checks come every half idle_timeout: a quiet half sends a ping, and a second
// quiet half (not even the pong) ends the connection. A paused socket is not idle.
void PlainWsSession::on_tick(Clock::time_point now) {
  if (socket_closed_) return;
  if (close_deadline_ != Clock::time_point::max()) {
    if (now < close_deadline_) return;
    note_end(WsEndCause::closed_by_us, close_code_, close_reason_);
    close_socket();
    return;
  }
  if (limits_.idle_timeout.count() <= 0 || now < next_idle_check_) return;
  next_idle_check_ = now + limits_.idle_timeout / 2;
  if (input_seen_ || paused_) {
    input_seen_ = false;
    ping_outstanding_ = false;
  } else if (!ping_outstanding_) {
    ping_outstanding_ = true;
    queue_frame(WsOpcode::ping, "");
  } else {
    note_end(WsEndCause::idle_timeout, 1006, "idle timeout");
    close_socket();
  }
}

// The TCP connection ended or failed under a read or write. While closing, that is how
// our close ends (the peer may drop the connection instead of answering); otherwise the
// connection was lost. (Once the close frames are done, the end is already noted.)
void PlainWsSession::transport_ended(std::string why) {
  if (closing_) {
    note_end(WsEndCause::closed_by_us, close_code_, close_reason_);
  } else {
    note_end(WsEndCause::connection_lost, 1006, std::move(why));
  }
  close_socket();
}

void PlainWsSession::note_end(WsEndCause cause, std::uint16_t code, std::string reason) {
  if (!end_) end_ = std::make_unique<WsEnd>(WsEnd{cause, code, std::move(reason)});
}

void PlainWsSession::post_end() {
  if (end_posted_) return;
  end_posted_ = true;
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->notify_end(); });
}

void PlainWsSession::notify_end() {
  if (end_notified_) return;
  end_notified_ = true;
  auto handlers = std::move(handlers_);
  handlers_ = {};
  if (!handlers.on_end) return;
  try {
    handlers.on_end(*this, end_ ? *end_ : WsEnd{});
  } catch (const std::exception& ex) {
    spdlog::error("websocket {}: on_end: {}", id_, ex.what());
  }
}

void PlainWsSession::close_socket() {
  if (socket_closed_) return;
  socket_closed_ = true;
  boost::system::error_code ignored;
  socket_.close(ignored);
  if (ticker_) ticker_->remove(*this);
  ticker_.reset();
  out_ = std::string();  // in_ is let go by the reader that may be walking it
  out_sent_ = 0;
  keepalive_.reset();
  post_end();
}

}  // namespace tether::net::detail
