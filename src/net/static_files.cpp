#include "net/static_files.hpp"

#include <array>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

namespace tether::net {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

core::Error forbidden(std::string_view why) { return core::make_error(core::Errc::forbidden, std::string(why)); }

}  // namespace

Headers security_headers() {
  return {
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cache-Control", "no-cache"},
  };
}

std::string_view mime_type_for(const std::filesystem::path& file) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff2", "font/woff2"},
      {".wasm", "application/wasm"},
      {".txt", "text/plain; charset=utf-8"},
      {".xml", "application/xml"},
  }};
  const std::string ext = file.extension().string();
  for (const auto& [e, type] : kTypes) {
    if (e == ext) return type;
  }
  return "application/octet-stream";
}

core::Result<std::filesystem::path> relative_path_for(std::string_view target) {
  const std::string_view raw = target.substr(0, target.find('?'));
  if (!raw.starts_with('/')) return forbidden("not an absolute path");
  std::string decoded;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '%') {
      decoded += raw[i];
      continue;
    }
    if (i + 2 >= raw.size()) return forbidden("bad escape");
    const int hi = hex_digit(raw[i + 1]);
    const int lo = hex_digit(raw[i + 2]);
    if (hi < 0 || lo < 0) return forbidden("bad escape");
    decoded += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  if (decoded == "/") return std::filesystem::path("index.html");
  std::filesystem::path out;
  std::size_t start = 1;
  while (start <= decoded.size()) {
    const std::size_t end = std::min(decoded.find('/', start), decoded.size());
    const std::string_view segment(decoded.data() + start, end - start);
    if (segment.empty() || segment.starts_with('.')) return forbidden("empty or dot segment");
    if (segment.find('\0') != std::string_view::npos || segment.find('\\') != std::string_view::npos) {
      return forbidden("bad character");
    }
    out /= std::string(segment);
    start = end + 1;
  }
  return out;
}

core::Result<StaticFiles> StaticFiles::open(const std::filesystem::path& root) {
  std::error_code ec;
  auto canonical = std::filesystem::canonical(root, ec);
  if (ec || !std::filesystem::is_directory(canonical, ec)) {
    return core::make_error(core::Errc::not_found, fmt::format("web root {} is not a directory", root.string()));
  }
  return StaticFiles(std::move(canonical));
}

core::Result<StaticFiles::File> StaticFiles::get(std::string_view target) const {
  auto relative = relative_path_for(target);
  if (!relative) return relative.error();
  std::error_code ec;
  const auto resolved = std::filesystem::canonical(root_ / *relative, ec);
  if (ec) return core::make_error(core::Errc::not_found, "no such file");
  // A symlink inside the root may point anywhere: only what resolves inside is served.
  const auto rel = resolved.lexically_relative(root_);
  if (rel.empty() || *rel.begin() == "..") return forbidden("outside the web root");
  if (!std::filesystem::is_regular_file(resolved, ec)) return core::make_error(core::Errc::not_found, "not a file");
  const auto size = std::filesystem::file_size(resolved, ec);
  if (ec || size > kMaxFileBytes) return core::make_error(core::Errc::not_found, "unreadable or too large");
  std::ifstream in(resolved, std::ios::binary);
  if (!in) return core::make_error(core::Errc::not_found, "unreadable");
  File f{std::string(mime_type_for(resolved)), std::string(std::istreambuf_iterator<char>(in), {})};
  return f;
}

HttpResponse text_response(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = security_headers();
  return r;
}

HttpResponse StaticFiles::respond(std::string_view target) const {
  auto file = get(target);
  if (!file) return file.error().code == core::Errc::forbidden ? text_response(403, "forbidden\n") : text_response(404, "not found\n");
  HttpResponse r = text_response(200, std::move(file->body));
  r.content_type = std::move(file->content_type);
  r.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
  return r;
}

}  // namespace tether::net
