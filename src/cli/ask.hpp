// Asking the person at the terminal a yes/no question (the SAS comparison) without
// blocking anything else: stdin is polled a fraction of a second at a time, and the
// caller may give up meanwhile (the other end declined, the offer ran out).
#pragma once

#include <functional>
#include <optional>
#include <string_view>

namespace tether::cli {

enum class Answer { yes, no, none };  // none: end of input, or the caller gave up

// Prints `question` to stderr and reads one line from stdin: "y"/"yes" is yes, "n"/"no"
// or an empty line is no, anything else asks again. `keep_waiting` is called every
// 200 ms while nothing was typed; once it returns false, the answer is none.
Answer ask_yes_no(std::string_view question, const std::function<bool()>& keep_waiting);

}  // namespace tether::cli
