#include "net/static_files.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

namespace tether::net {
namespace {

namespace fs = std::filesystem;

TEST(StaticPaths, MapsTargetsBelowTheRoot) {
  EXPECT_EQ(relative_path_for("/").value(), fs::path("index.html"));
  EXPECT_EQ(relative_path_for("/assets/app.js?v=2").value(), fs::path("assets/app.js"));
  EXPECT_EQ(relative_path_for("/a%20b.txt").value(), fs::path("a b.txt"));
}

TEST(StaticPaths, RefusesTraversalAndOddSegments) {
  for (const char* t : {"/../etc/passwd", "/a/../../x", "/%2e%2e/x", "/%2E%2E%2Fetc", "/.git/config", "/a//b", "/a/",
                        "/a%00b", "/a\\..\\b", "/%zz", "/%4", "relative", "/./a"}) {
    auto r = relative_path_for(t);
    ASSERT_FALSE(r) << t;
    EXPECT_EQ(r.error().code, core::Errc::forbidden) << t;
  }
}

TEST(StaticPaths, MimeTypes) {
  EXPECT_EQ(mime_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(mime_type_for("a/app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(mime_type_for("s.css"), "text/css; charset=utf-8");
  EXPECT_EQ(mime_type_for("manifest.webmanifest"), "application/manifest+json");
  EXPECT_EQ(mime_type_for("x.wasm"), "application/wasm");
  EXPECT_EQ(mime_type_for("noext"), "application/octet-stream");
}

TEST(StaticPaths, PolicyHasNoInlineScript) {
  const std::string csp(kContentSecurityPolicy);
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_NE(csp.find("connect-src 'self'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos);
}

class StaticFilesDir : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("tether-static-" + std::to_string(std::random_device{}()));
    fs::create_directories(base_ / "root" / "assets");
    write(base_ / "root" / "index.html", "<!doctype html>");
    write(base_ / "root" / "assets" / "app.js", "export {}");
    write(base_ / "secret.txt", "secret");
    fs::create_symlink(base_ / "secret.txt", base_ / "root" / "leak.txt");
  }
  void TearDown() override { fs::remove_all(base_); }
  static void write(const fs::path& p, const std::string& s) { std::ofstream(p) << s; }
  fs::path base_;
};

TEST_F(StaticFilesDir, ServesFilesWithTheirType) {
  auto files = StaticFiles::open(base_ / "root");
  ASSERT_TRUE(files);
  auto index = files->get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->body, "<!doctype html>");
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(files->get("/assets/app.js")->content_type, "text/javascript; charset=utf-8");
}

TEST_F(StaticFilesDir, RefusesWhatIsNotAFileInsideTheRoot) {
  auto files = StaticFiles::open(base_ / "root");
  ASSERT_TRUE(files);
  EXPECT_EQ(files->get("/missing.js").error().code, core::Errc::not_found);
  EXPECT_EQ(files->get("/assets").error().code, core::Errc::not_found);
  EXPECT_EQ(files->get("/../secret.txt").error().code, core::Errc::forbidden);
  EXPECT_EQ(files->get("/leak.txt").error().code, core::Errc::forbidden);  // a symlink out of the root
  EXPECT_FALSE(StaticFiles::open(base_ / "nope"));
}

}  // namespace
}  // namespace tether::net
