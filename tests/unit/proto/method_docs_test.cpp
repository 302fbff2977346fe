#include "proto/method_docs.hpp"

#include <gtest/gtest.h>
#include <gmock/gmock.h>

namespace tether::proto {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A method table of three methods; the handlers are never called.
std::vector<Method> table() {
  std::vector<Method> m;
  m.push_back({"a.info", Permission::read, {}, nullptr, "info"});
  m.push_back({"a.change", Permission::write, {}, nullptr, "change"});
  m.push_back({"a.stop", Permission::owner, {}, nullptr, "stop"});
  return m;
}

// A document whose "## Methods" table has `rows` (lines 9 on), between other sections and tables.
std::string doc(std::string_view rows) {
  return std::string(
             "# Protocol\n"                          // 1
             "\n"                                    // 2
             "| method | permission |\n"             // 3: not the section's table
             "|---|---|\n"                           // 4
             "| `x.other` | read |\n"                // 5
             "## Methods\n"                          // 6
             "| method | permission | summary |\n"   // 7
             "|---|---|---|\n") +                    // 8
         std::string(rows) +
         "\n"
         "Text after the table.\n"
         "| `a.after` | read | not in the table: after a blank line |\n"
         "## Next\n"
         "| `a.next` | read | another section |\n";
}

constexpr std::string_view kClean =
    "| `a.info` | read | Who this is. |\n"
    "| `a.change` | `write` | Changes it; the pipe in a\\|b is escaped. |\n"
    "| `a.stop` | owner | Stops it. |";

TEST(MethodDocs, CleanMatchHasNoProblems) { EXPECT_THAT(method_docs_problems(doc(kClean), table()), IsEmpty()); }

TEST(MethodDocs, RowOrderAndColumnOrderDoNotMatter) {
  const std::string markdown =
      "## Methods\n"
      "| permission | summary | method |\n"
      "|:--|---|--:|\n"
      "| owner | Stops it. | a.stop |\n"
      "| read | Who this is. | a.info |\n"
      "| write | Changes it. | a.change |\n";
  EXPECT_THAT(method_docs_problems(markdown, table()), IsEmpty());
}

TEST(MethodDocs, MissingMethod) {
  EXPECT_THAT(method_docs_problems(doc("| `a.info` | read | Who this is. |\n"
                                       "| `a.stop` | owner | Stops it. |"),
                                   table()),
              ElementsAre("a.change (write) is in the method table but has no row in \"## Methods\""));
}

TEST(MethodDocs, ExtraMethod) {
  EXPECT_THAT(method_docs_problems(doc(std::string(kClean) + "\n| `a.gone` | read | Was removed. |"), table()),
              ElementsAre("line 12: a.gone is documented but is not in the method table"));
}

TEST(MethodDocs, WrongPermission) {
  EXPECT_THAT(method_docs_problems(doc("| `a.info` | read | Who this is. |\n"
                                       "| `a.change` | read | Changes it. |\n"
                                       "| `a.stop` | owner | Stops it. |"),
                                   table()),
              ElementsAre("line 10: a.change is documented as read but the method table says write"));
}

TEST(MethodDocs, UnknownPermission) {
  EXPECT_THAT(method_docs_problems(doc("| `a.info` | read | Who this is. |\n"
                                       "| `a.change` | full | Changes it. |\n"
                                       "| `a.stop` | owner | Stops it. |"),
                                   table()),
              ElementsAre("line 10: a.change has permission \"full\", which is none of pairing, read, write, owner"));
}

TEST(MethodDocs, DuplicateRow) {
  EXPECT_THAT(method_docs_problems(doc(std::string(kClean) + "\n| `a.info` | read | Again. |"), table()),
              ElementsAre("line 12: a.info has a second row (the first is on line 9)"));
}

TEST(MethodDocs, MethodTwiceInTheTable) {
  auto methods = table();
  methods.push_back({"a.info", Permission::read, {}, nullptr, "again"});
  EXPECT_THAT(method_docs_problems(doc(kClean), methods), ElementsAre("a.info is in the method table twice"));
}

TEST(MethodDocs, EveryProblemAtOnce) {
  EXPECT_THAT(method_docs_problems(doc("| `a.info` | write | Who this is. |\n"
                                       "| `a.gone` | read | Was removed. |\n"
                                       "| | read | No name. |\n"
                                       "| `a.stop` |"),
                                   table()),
              ElementsAre("line 12: a row with fewer cells than the header",
                          "line 9: a.info is documented as write but the method table says read",
                          "line 10: a.gone is documented but is not in the method table", "line 11: a row with no method",
                          "a.change (write) is in the method table but has no row in \"## Methods\"",
                          "a.stop (owner) is in the method table but has no row in \"## Methods\""));
}

TEST(MethodDocs, NoSection) {
  EXPECT_THAT(method_docs_problems("# Protocol\n## Method\n| method | permission |\n|---|---|\n", table()),
              ElementsAre("no \"## Methods\" section"));
}

TEST(MethodDocs, SectionWithoutTable) {
  EXPECT_THAT(method_docs_problems("## Methods\nSee below.\n## Next\n| method | permission |\n|---|---|\n", table()),
              ElementsAre("\"## Methods\" has no table"));
}

TEST(MethodDocs, TableWithoutTheColumns) {
  EXPECT_THAT(method_docs_problems("## Methods\n| name | who |\n|---|---|\n| a.info | read |\n", table()),
              ElementsAre("line 2: the table of \"## Methods\" has no method and permission columns"));
}

TEST(MethodDocs, HeaderWithoutSeparator) {
  EXPECT_THAT(method_docs_problems("## Methods\n| method | permission |\n| a.info | read |\n", table()),
              ElementsAre("line 3: the table's header is not followed by a |---| line"));
}

TEST(MethodDocs, CodeBlocksAreNotTheSection) {
  const std::string markdown = "```\n## Methods\n| method | permission |\n|---|---|\n```\n" + doc(kClean);
  EXPECT_THAT(method_docs_problems(markdown, table()), IsEmpty());
}

}  // namespace
}  // namespace tether::proto
