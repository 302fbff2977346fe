#include "net/line_server.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <deque>
#include <unordered_map>
#include <vector>

#include "net/detail/accept_loop.hpp"
#include "net/detail/asio_runtime.hpp"

namespace tether::net {

namespace asio = boost::asio;
using local_stream = asio::local::stream_protocol;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

class Connection;

struct UnixLineServer::Impl : std::enable_shared_from_this<UnixLineServer::Impl> {
  Impl(asio::io_context& io, LineServerOptions o, LineHandlers h)
      : acceptor(io), options(std::move(o)), handlers(std::move(h)) {}
  asio::awaitable<void> accept_loop();
  void finished(std::uint64_t id);

  local_stream::acceptor acceptor;
  LineServerOptions options;
  LineHandlers handlers;
  std::unordered_map<std::uint64_t, std::shared_ptr<Connection>> connections;
  std::uint64_t next_id = 1;
  bool shutting_down = false;
  std::function<void()> on_drained;
};

class Connection final : public LineConnection, public std::enable_shared_from_this<Connection> {
 public:
  Connection(local_stream::socket socket, std::uint64_t id, std::shared_ptr<UnixLineServer::Impl> server)
      : socket_(std::move(socket)), wake_(socket_.get_executor()), id_(id), server_(std::move(server)) {
    wake_.expires_at(asio::steady_timer::time_point::max());
    ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(socket_.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) {
      peer_ = PeerCredentials{cred.uid, cred.pid};
    }
  }

  std::uint64_t id() const override { return id_; }
  PeerCredentials peer() const override { return peer_; }

  void send(std::string line) override {
    if (closing_ || closed_) return;
    if (queued_bytes_ + line.size() + 1 > server_->options.max_queued_bytes) {
      spdlog::warn("connection {}: write queue over {} bytes, closing a peer that does not read",
                   id_, server_->options.max_queued_bytes);
      abort();
      return;
    }
    line += '\n';
    queued_bytes_ += line.size();
    queue_.push_back(std::move(line));
    wake_.cancel();
  }

  void close() override {
    closing_ = true;
    wake_.cancel();
  }

  std::size_t queued_bytes() const override { return queued_bytes_; }

  // A refused peer gets no reader: only what on_open queued is written.
  void start(bool read) {
    auto self = shared_from_this();
    if (read) {
      asio::co_spawn(socket_.get_executor(), reader(), [self](std::exception_ptr) { self->reader_done(); });
    } else {
      reader_running_ = false;
      close();
    }
    asio::co_spawn(socket_.get_executor(), writer(), [self](std::exception_ptr) { self->writer_done(); });
  }

  // Stops reading; the writer flushes and closes.
  void stop_reading() {
    boost::system::error_code ec;
    socket_.shutdown(local_stream::socket::shutdown_receive, ec);
    close();
  }

 private:
  void abort() {
    closed_ = true;
    queue_.clear();
    boost::system::error_code ec;
    socket_.close(ec);
    wake_.cancel();
  }

  asio::awaitable<void> reader() {
    std::string buf;
    const std::size_t max = server_->options.max_line_bytes;
    auto& handlers = server_->handlers;
    while (!closing_ && !closed_) {
      auto [ec, n] = co_await asio::async_read_until(socket_, asio::dynamic_buffer(buf, max + 1), '\n', use_tuple);
      if (ec == asio::error::not_found) {
        if (handlers.on_oversized_line) handlers.on_oversized_line(*this);
        close();
        break;
      }
      if (ec) break;  // EOF (a partial line is dropped), reset, or closed by us
      std::string_view line(buf.data(), n - 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty() && handlers.on_line) handlers.on_line(*this, line);
      buf.erase(0, n);
    }
    close();
  }

  asio::awaitable<void> writer() {
    for (;;) {
      if (closed_) break;
      if (queue_.empty()) {
        if (closing_) break;
        co_await wake_.async_wait(use_tuple);
        wake_.expires_at(asio::steady_timer::time_point::max());
        continue;
      }
      // Many queued lines (a replay) go out in one gathered write, not one syscall each.
      // Lines pushed meanwhile go to the back: the deque keeps these in place.
      static constexpr std::size_t kMaxGather = 64;
      static constexpr std::size_t kMaxGatherBytes = 256 * 1024;
      std::vector<asio::const_buffer> gather;
      std::size_t bytes = 0;
      for (const auto& line : queue_) {
        if (gather.size() == kMaxGather || (!gather.empty() && bytes + line.size() > kMaxGatherBytes)) break;
        gather.push_back(asio::buffer(line));
        bytes += line.size();
      }
      auto [ec, n] = co_await asio::async_write(socket_, gather, use_tuple);
      if (ec) break;
      for (std::size_t i = 0; i < gather.size(); ++i) queue_.pop_front();
      queued_bytes_ -= bytes;
    }
    boost::system::error_code ignored;
    if (!closed_ && !reader_running_) co_await linger();
    socket_.shutdown(local_stream::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  // Closing a socket with unread input resets the peer, which can then lose the
  // last lines we wrote (a refusal, an error). So stop sending, and read and drop
  // what the peer still sends until it closes, for at most kLinger.
  asio::awaitable<void> linger() {
    static constexpr auto kLinger = std::chrono::seconds(1);
    boost::system::error_code ec;
    socket_.shutdown(local_stream::socket::shutdown_send, ec);
    asio::steady_timer deadline(socket_.get_executor(), kLinger);
    deadline.async_wait([this, self = shared_from_this()](const boost::system::error_code& e) {
      boost::system::error_code ignored;
      if (!e) socket_.close(ignored);
    });
    char sink[4096];
    for (;;) {
      auto [read_ec, n] = co_await socket_.async_read_some(asio::buffer(sink), use_tuple);
      if (read_ec) break;
    }
    deadline.cancel();
  }

  void reader_done() {
    reader_running_ = false;
    maybe_finish();
  }
  void writer_done() {
    writer_running_ = false;
    maybe_finish();
  }
  void maybe_finish() {
    if (reader_running_ || writer_running_) return;
    if (server_->handlers.on_close) server_->handlers.on_close(*this);
    server_->finished(id_);
  }

  local_stream::socket socket_;
  asio::steady_timer wake_;
  std::uint64_t id_;
  std::shared_ptr<UnixLineServer::Impl> server_;
  PeerCredentials peer_;
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  bool closing_ = false;
  bool closed_ = false;
  bool reader_running_ = true;
  bool writer_running_ = true;
};

asio::awaitable<void> UnixLineServer::Impl::accept_loop() {
  auto self = shared_from_this();
  co_await detail::accept_loop(acceptor, shutting_down, [this, self](local_stream::socket socket) {
    if (connections.size() >= options.max_connections) {
      spdlog::warn("refusing a connection: {} connections already open", connections.size());
      return;  // the socket closes as it goes out of scope
    }
    const std::uint64_t id = next_id++;
    auto conn = std::make_shared<Connection>(std::move(socket), id, self);
    connections.emplace(id, conn);
    conn->start(!handlers.on_open || handlers.on_open(*conn));
  });
}

void UnixLineServer::Impl::finished(std::uint64_t id) {
  connections.erase(id);
  if (shutting_down && connections.empty() && on_drained) {
    auto done = std::move(on_drained);
    on_drained = nullptr;
    done();
  }
}

core::Result<std::unique_ptr<UnixLineServer>> UnixLineServer::listen(Runtime& runtime, LineServerOptions options,
                                                                     LineHandlers handlers) {
  const std::string path = options.socket_path.string();
  if (path.size() >= sizeof(sockaddr_un{}.sun_path)) {
    return core::make_error(core::Errc::path_too_long, fmt::format("socket path {} is longer than {} bytes; use a shorter --home",
                                                                   path, sizeof(sockaddr_un{}.sun_path) - 1));
  }
  auto impl = std::make_shared<Impl>(runtime.impl().io, std::move(options), std::move(handlers));
  boost::system::error_code ec;
  impl->acceptor.open(local_stream(), ec);
  if (!ec) {
    const mode_t old = ::umask(0177);  // the socket file is created 0600
    impl->acceptor.bind(local_stream::endpoint(path), ec);
    ::umask(old);
  }
  if (!ec && ::chmod(path.c_str(), 0600) != 0) ec.assign(errno, boost::system::system_category());
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return core::make_error(core::Errc::listen, fmt::format("cannot listen on {}: {}", path, ec.message()));
  asio::co_spawn(impl->acceptor.get_executor(), impl->accept_loop(), asio::detached);
  return std::unique_ptr<UnixLineServer>(new UnixLineServer(impl));
}

UnixLineServer::~UnixLineServer() {
  if (!impl_->shutting_down) shutdown(nullptr);
}

void UnixLineServer::shutdown(std::function<void()> done) {
  impl_->shutting_down = true;
  boost::system::error_code ec;
  impl_->acceptor.close(ec);
  std::error_code fs_ec;
  std::filesystem::remove(impl_->options.socket_path, fs_ec);
  impl_->on_drained = std::move(done);
  if (impl_->connections.empty()) {
    if (impl_->on_drained) {
      auto d = std::move(impl_->on_drained);
      impl_->on_drained = nullptr;
      d();
    }
    return;
  }
  auto conns = impl_->connections;  // stop_reading may finish a connection and erase it
  for (auto& [id, conn] : conns) conn->stop_reading();
}

std::size_t UnixLineServer::connection_count() const { return impl_->connections.size(); }

}  // namespace tether::net
