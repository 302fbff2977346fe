// Text trims (the line ends at the end go, and nothing else does) and control characters
// made visible for terminals and logs.
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

TEST(Text, TerminalControlsBecomeVisibleAndLinesStay) {
  // A window title (OSC 0 … BEL), a screen clear, a colour: none reaches the terminal.
  EXPECT_EQ(visible_controls("a\x1b]0;owned\x07" "b"), "a\\x1b]0;owned\\x07b");
  EXPECT_EQ(visible_controls("\x1b[2J\x1b[31mred"), "\\x1b[2J\\x1b[31mred");
  EXPECT_EQ(visible_controls("one\ntwo\tcol\r\nthree"), "one\ntwo\tcol\r\nthree");
  EXPECT_EQ(visible_controls("over\rwrite"), "over\\x0dwrite");  // a lone CR would overwrite the line
  EXPECT_EQ(visible_controls("del\x7f nul", KeepControls::none), "del\\x7f nul");
  EXPECT_EQ(visible_controls(std::string_view("a\0b", 3)), "a\\x00b");
  // C1 controls (U+009B is a one-byte CSI on some terminals) and bidirectional controls.
  EXPECT_EQ(visible_controls("x\xc2\x9b" "2Jy"), "x\\u009b2Jy");
  EXPECT_EQ(visible_controls("abc\u202Efdp.exe"), "abc\\u202efdp.exe");
  EXPECT_EQ(visible_controls("\u2066\u2069\u200E\u200F\u061C\u202A"),
            "\\u2066\\u2069\\u200e\\u200f\\u061c\\u202a");
  // Everything else is left alone: other punctuation of the same blocks, any script, emoji.
  EXPECT_EQ(visible_controls("\u2014 \u2026 \u2070 \u00e9 \u65e5\u672c \U0001F600"),
            "\u2014 \u2026 \u2070 \u00e9 \u65e5\u672c \U0001F600");
  EXPECT_EQ(visible_controls("\xff\xfe"), "\xff\xfe");  // not UTF-8, but not a control either
}

TEST(Text, OneLineShowsEveryControl) {
  EXPECT_EQ(visible_controls("name\nforged line\tx\r\n", KeepControls::none), "name\\x0aforged line\\x09x\\x0d\\x0a");
}

TEST(Text, HasControlsSeesWhatVisibleControlsWouldChange) {
  for (std::string_view s : {"plain", "caf\u00e9", "\u2014", ""}) {
    EXPECT_FALSE(has_controls(s)) << s;
    EXPECT_EQ(visible_controls(s, KeepControls::none), s);
  }
  for (std::string_view s : {"a\nb", "tab\t", "\x1b[0m", "bell\x07", "\u202E", "\u2068", "\xc2\x85"}) {
    EXPECT_TRUE(has_controls(s)) << s;
    EXPECT_NE(visible_controls(s, KeepControls::none), s);
  }
}

}  // namespace
}  // namespace tether::core
