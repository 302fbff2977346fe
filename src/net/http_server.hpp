// An HTTP/1.1 server over TCP, optionally TLS, that answers plain requests and
// upgrades WebSockets. It enforces transport limits (header size and read timeout);
// what a request means, and who may connect, is the caller's business (handlers).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "net/runtime.hpp"
#include "net/websocket.hpp"

namespace tether::net {

struct HttpRequest {
  std::uint64_t connection_id = 0;
  std::string remote_address;
  std::string method;  // "GET", "HEAD", ...
  std::string target;  // as sent: path and query
  std::string host;
  std::string origin;  // the Origin header, empty when absent (non-browser clients)
  bool websocket = false;  // a WebSocket upgrade request (GET, Connection: upgrade, Upgrade: websocket)
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close = false;  // close the connection after this response
};

// What the server refused on its own; for metrics.
enum class HttpEvent {
  header_timeout,       // request headers (or the TLS handshake) not complete in time: closed without answer
  header_too_large,     // 431, then closed
  bad_request,          // unparsable request: 400, then closed
  tls_handshake_failed,
  websocket_handshake_failed,  // e.g. a bad Sec-WebSocket-Key: answered 400, then closed
  over_capacity,        // max_connections sockets already held: closed at once, nothing read or written
};

const char* to_string(HttpEvent event);

struct TlsFiles {
  std::filesystem::path cert_chain;  // PEM
  std::filesystem::path private_key;  // PEM
};

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8443;  // 0: any free port (see HttpServer::port)
  std::optional<TlsFiles> tls;
  std::size_t max_header_bytes = 8 * 1024;
  std::chrono::steady_clock::duration header_timeout = std::chrono::seconds(10);
  std::chrono::steady_clock::duration write_timeout = std::chrono::seconds(10);  // for HTTP responses
  // Sockets held at once, whatever their phase (request, a refusal being written, a
  // WebSocket); 0: no cap. A connection accepted past it is closed at once, before
  // on_connect, so the server never holds more descriptors than this.
  std::size_t max_connections = 0;
  WsLimits websocket;
};

struct HttpHandlers {
  // A TCP connection was accepted (and fits under max_connections). Return a response to
  // refuse it (written at once, without reading a request, then closed), or nullopt to
  // serve it. Every connection that was not refused gets exactly one on_disconnect, when
  // its socket closes.
  std::function<std::optional<HttpResponse>(std::uint64_t connection_id, const std::string& remote_address)>
      on_connect;
  std::function<void(std::uint64_t connection_id)> on_disconnect;
  // A request that is not a WebSocket upgrade.
  std::function<HttpResponse(const HttpRequest&)> on_request;
  // A WebSocket upgrade: a response refuses it; nullopt completes the handshake and then
  // calls on_websocket, which must set the socket's handlers.
  std::function<std::optional<HttpResponse>(const HttpRequest&)> on_upgrade;
  std::function<void(const std::shared_ptr<WebSocket>&, const HttpRequest&)> on_websocket;
  std::function<void(HttpEvent)> on_event;
};

class HttpServer {
 public:
  // Loads the TLS files (if any), binds and starts accepting. Error codes: "tls", "listen".
  static core::Result<std::unique_ptr<HttpServer>> listen(Runtime& runtime, HttpServerOptions options,
                                                         HttpHandlers handlers);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  std::uint16_t port() const;
  // Sockets held now (every phase; what max_connections caps).
  std::size_t connections() const;
  // Stops accepting and ends every HTTP connection; WebSockets are the caller's to close.
  void shutdown();

  struct Impl;

 private:
  explicit HttpServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

}  // namespace tether::net
