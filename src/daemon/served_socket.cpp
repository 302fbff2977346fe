#include "daemon/served_socket.hpp"

#include <utility>

#include "link/close_codes.hpp"

namespace tether::daemon {
namespace {

class SocketSink final : public FrameSink {
 public:
  explicit SocketSink(std::weak_ptr<net::WebSocket> ws) : ws_(std::move(ws)) {}
  void send(std::string frame) override {
    if (auto ws = ws_.lock()) ws->send(std::move(frame), true);
  }
  void close(std::uint16_t code, std::string reason) override {
    if (auto ws = ws_.lock()) ws->close(code, std::move(reason));
  }
  std::size_t queued_bytes() const override {
    auto ws = ws_.lock();
    return ws ? ws->queued_bytes() : 0;
  }

 private:
  std::weak_ptr<net::WebSocket> ws_;
};

class EchoHandler final : public ConnectionHandler {
 public:
  core::Result<std::vector<std::string>> on_frame(std::string_view frame) override {
    return std::vector<std::string>{std::string(frame)};
  }
};

// Owned by the socket's handlers (the sink holds the socket weakly: no cycle).
struct Served {
  SocketSink sink;
  std::shared_ptr<ConnectionHandler> handler;
  std::function<void()> on_end;
  std::function<void()> on_handshake_answered;  // emptied once it has run
};

}  // namespace

HandlerFactory echo_handler_factory() {
  return [](FrameSink&) { return std::make_shared<EchoHandler>(); };
}

void serve_websocket(const std::shared_ptr<net::WebSocket>& ws, const HandlerFactory& factory, std::function<void()> on_end,
                     std::function<void()> on_handshake_answered) {
  auto served = std::make_shared<Served>(Served{SocketSink(ws), nullptr, std::move(on_end), std::move(on_handshake_answered)});
  if (factory) served->handler = factory(served->sink);
  ws->set_handlers(net::WsHandlers{
      [served](net::WebSocket& w, std::string&& frame, bool binary) {
        if (!served->handler) return;
        if (!binary) {
          w.close(1003, "binary frames only");
          return;
        }
        auto out = served->handler->on_frame(frame);
        if (!out) {
          w.close(1008, out.error().message);
          return;
        }
        for (auto& f : *out) w.send(std::move(f), true);
        if (served->on_handshake_answered && served->handler && served->handler->handshake_answered()) {
          std::exchange(served->on_handshake_answered, nullptr)();
        }
      },
      [served](net::WebSocket&, const net::WsEnd&) {
        if (served->handler) served->handler->on_close();
        served->handler.reset();
        if (served->on_end) served->on_end();
      },
  });
  if (!served->handler) ws->close(link::close_code::kNotServing, "the daemon does not serve connections");
}

}  // namespace tether::daemon
