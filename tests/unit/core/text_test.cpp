// Text trims: the line ends at the end go, and nothing else does.
#include "core/text.hpp"

#include <gtest/gtest.h>

namespace tether::core {
namespace {

TEST(Text, WithoutTrailingNewlinesDropsOnlyTheLineEndsAtTheEnd) {
  EXPECT_EQ(without_trailing_newlines("why\r\n\n"), "why");
  EXPECT_EQ(without_trailing_newlines("why \n"), "why ");
  EXPECT_EQ(without_trailing_newlines("one\ntwo\r\n"), "one\ntwo");
  EXPECT_EQ(without_trailing_newlines("\n\r\n"), "");
  EXPECT_EQ(without_trailing_newlines("as is"), "as is");
}

}  // namespace
}  // namespace tether::core
