// `tether app-hash [DIR]`: the hash of a built web app, as its Settings screen shows it —
// the SHA-256 of the manifest "<sha256 hex>  <path>\n" of every file but app-hash.txt,
// sorted by path (bytewise). Checks DIR/app-hash.txt when there is one.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "cli/commands.hpp"
#include "core/encoding.hpp"
#include "core/text.hpp"
#include "crypto/secrets.hpp"

namespace tether::cli {
namespace {

namespace fs = std::filesystem;

struct AppHashOptions {
  std::string dir = "web/dist";
  bool json = false;
};

std::string sha256_hex(std::string_view data) {
  return core::hex_encode(crypto::sha256({reinterpret_cast<const std::uint8_t*>(data.data()), data.size()}));
}

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int run_app_hash(const AppHashOptions& o) {
  std::error_code ec;
  if (!fs::is_directory(o.dir, ec)) {
    std::fprintf(stderr, "tether app-hash: %s is not a directory (build the app with `make web`)\n", o.dir.c_str());
    return kExitFailure;
  }
  std::vector<std::string> paths;
  for (auto it = fs::recursive_directory_iterator(o.dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const std::string rel = fs::relative(it->path(), o.dir).generic_string();
    if (rel != "app-hash.txt") paths.push_back(rel);
  }
  std::sort(paths.begin(), paths.end());
  std::string manifest;
  for (const auto& rel : paths) {
    auto content = read_file(fs::path(o.dir) / rel);
    if (!content) {
      std::fprintf(stderr, "tether app-hash: cannot read %s\n", rel.c_str());
      return kExitFailure;
    }
    manifest += sha256_hex(*content) + "  " + rel + "\n";
  }
  const std::string hash = sha256_hex(manifest);
  std::string recorded;
  if (auto text = read_file(fs::path(o.dir) / "app-hash.txt")) recorded = core::without_trailing_newlines(*text);
  const bool mismatch = !recorded.empty() && recorded != hash;
  if (o.json) {
    std::printf("%s\n", boost::json::serialize(boost::json::object{
                            {"hash", hash}, {"files", paths.size()}, {"recorded", recorded}, {"matches", !mismatch}})
                            .c_str());
  } else {
    std::printf("%s\n", hash.c_str());
    if (mismatch) std::fprintf(stderr, "tether app-hash: %s/app-hash.txt says %s: the files changed since the build\n",
                               o.dir.c_str(), recorded.c_str());
  }
  return mismatch ? kExitFailure : kExitOk;
}

}  // namespace

void register_app_hash(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<AppHashOptions>();
  auto* cmd = app.add_subcommand("app-hash", "Print the hash of a built web app, to compare with the app's Settings screen");
  cmd->add_option("DIR", o->dir, "The built app (what --web-root serves)")->capture_default_str();
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->callback([o, &exit_code] { exit_code = run_app_hash(*o); });
}

}  // namespace tether::cli
