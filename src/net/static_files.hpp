// The web app's static files, served only from --web-root: request paths mapped to
// files under the root (traversal, dot-files and symlinks out of the root refused),
// MIME types, and the security headers every relay response carries.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "net/http_server.hpp"

namespace tether::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

// The Content-Security-Policy of the app: no inline script, connections to this origin only.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";

// X-Content-Type-Options, X-Frame-Options, Referrer-Policy, Cache-Control: on every response.
Headers security_headers();

// A plain-text response carrying the security headers.
HttpResponse text_response(int status, std::string body);

std::string_view mime_type_for(const std::filesystem::path& file);

// The path below the root that `target` names: "/" is "index.html"; the query is
// dropped; percent-escapes are decoded. Error code "forbidden" for "..", ".", empty or
// dot-led segments, NUL, backslash or bad escapes.
core::Result<std::filesystem::path> relative_path_for(std::string_view target);

class StaticFiles {
 public:
  struct File {
    std::string content_type;
    std::string body;
  };
  static constexpr std::size_t kMaxFileBytes = 32 * 1024 * 1024;

  // Error code "not_found" when `root` is not a directory.
  static core::Result<StaticFiles> open(const std::filesystem::path& root);

  // Error codes: "forbidden" (bad path, or a symlink out of the root), "not_found".
  core::Result<File> get(std::string_view target) const;
  // The answer to GET `target`: the file with the app's CSP, else 403 or 404 in plain text.
  HttpResponse respond(std::string_view target) const;

 private:
  explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}
  std::filesystem::path root_;  // canonical
};

}  // namespace tether::net
