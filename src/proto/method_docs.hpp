// The method table as a document states it — the table of its "## Methods" section,
// `| method | permission | summary |` — held against a dispatcher's table (names and
// permissions). Pure: markdown text in, problems out; it reads no file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "proto/dispatcher.hpp"

namespace tether::proto {

// One sentence per disagreement: a method with no row, a row with no method, a wrong or
// unknown permission, a row or a method twice, a missing section or table. Rows are named
// by their line in `markdown`. Empty when each method has exactly one row with its permission.
std::vector<std::string> method_docs_problems(std::string_view markdown, const std::vector<Method>& methods);

}  // namespace tether::proto
