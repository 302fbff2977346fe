#include "proto/method_docs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <utility>

namespace tether::proto {
namespace {

constexpr std::string_view kSection = "## Methods";

constexpr std::array<std::pair<Permission, std::string_view>, 4> kPermissionNames{{
    {Permission::pairing, "pairing"},
    {Permission::read, "read"},
    {Permission::write, "write"},
    {Permission::owner, "owner"},
}};

std::string_view permission_name(Permission permission) {
  for (const auto& [p, name] : kPermissionNames) {
    if (p == permission) return name;
  }
  return "?";
}

bool is_permission_name(std::string_view text) {
  return std::any_of(kPermissionNames.begin(), kPermissionNames.end(), [&](const auto& p) { return p.second == text; });
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// A cell's text without the backticks of `code`.
std::string_view unquote(std::string_view cell) {
  if (cell.size() >= 2 && cell.front() == '`' && cell.back() == '`') return trim(cell.substr(1, cell.size() - 2));
  return cell;
}

// The cells of "| a | b |", split at each '|' that is not written "\|".
std::vector<std::string_view> cells(std::string_view row) {
  if (row.starts_with('|')) row.remove_prefix(1);
  if (row.ends_with('|') && !row.ends_with("\\|")) row.remove_suffix(1);
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (row[i] == '\\') {
      ++i;
    } else if (row[i] == '|') {
      out.push_back(trim(row.substr(start, i - start)));
      start = i + 1;
    }
  }
  out.push_back(trim(row.substr(start)));
  return out;
}

bool is_separator(const std::vector<std::string_view>& row) {
  return std::all_of(row.begin(), row.end(), [](std::string_view c) {
    return c.find('-') != std::string_view::npos && c.find_first_not_of("-:") == std::string_view::npos;
  });
}

struct Row {
  std::string_view name;
  std::string_view permission;
  std::size_t line = 0;
};

// The rows of the first table in the section; `found` is false when there is no such
// table, and `problems` then says why.
struct Table {
  bool found = false;
  std::vector<Row> rows;
  std::vector<std::string> problems;
};

Table read_table(std::string_view markdown) {
  enum class State { before, section, separator, rows };
  Table table;
  State state = State::before;
  bool fenced = false;
  std::size_t method_column = 0;
  std::size_t permission_column = 0;
  std::size_t number = 0;
  for (std::size_t pos = 0; pos <= markdown.size();) {
    const auto end = std::min(markdown.find('\n', pos), markdown.size());
    const std::string_view line = trim(markdown.substr(pos, end - pos));
    pos = end + 1;
    ++number;
    // Nothing inside a code block is a heading or a row.
    const bool fence = line.starts_with("```") || line.starts_with("~~~");
    if (fence) fenced = !fenced;
    if (fence || fenced) {
      if (state == State::rows) break;
      continue;
    }
    const bool heading = line.starts_with("# ") || line.starts_with("## ");
    if (state == State::before) {
      if (line == kSection) state = State::section;
    } else if (state == State::section) {
      if (heading) break;
      if (!line.starts_with('|')) continue;
      const auto header = cells(line);
      const auto method = std::find(header.begin(), header.end(), "method");
      const auto permission = std::find(header.begin(), header.end(), "permission");
      if (method == header.end() || permission == header.end()) {
        table.problems.push_back(
            fmt::format("line {}: the table of \"{}\" has no method and permission columns", number, kSection));
        return table;
      }
      method_column = static_cast<std::size_t>(method - header.begin());
      permission_column = static_cast<std::size_t>(permission - header.begin());
      state = State::separator;
    } else if (state == State::separator) {
      if (!line.starts_with('|') || !is_separator(cells(line))) {
        table.problems.push_back(fmt::format("line {}: the table's header is not followed by a |---| line", number));
        return table;
      }
      table.found = true;
      state = State::rows;
    } else {
      if (!line.starts_with('|')) break;
      const auto row = cells(line);
      if (row.size() <= std::max(method_column, permission_column)) {
        table.problems.push_back(fmt::format("line {}: a row with fewer cells than the header", number));
        continue;
      }
      table.rows.push_back({unquote(row[method_column]), unquote(row[permission_column]), number});
    }
  }
  if (state == State::before) table.problems.push_back(fmt::format("no \"{}\" section", kSection));
  if (state == State::section) table.problems.push_back(fmt::format("\"{}\" has no table", kSection));
  if (state == State::separator) table.problems.push_back("the table's header is the document's last line");
  return table;
}

}  // namespace

std::vector<std::string> method_docs_problems(std::string_view markdown, const std::vector<Method>& methods) {
  Table table = read_table(markdown);
  std::vector<std::string> problems = std::move(table.problems);
  if (!table.found) return problems;

  std::map<std::string_view, const Method*> by_name;
  for (const auto& m : methods) {
    if (!by_name.emplace(m.name, &m).second) problems.push_back(fmt::format("{} is in the method table twice", m.name));
  }
  std::map<std::string_view, std::size_t> documented;  // name → its first row's line
  for (const auto& row : table.rows) {
    if (row.name.empty()) {
      problems.push_back(fmt::format("line {}: a row with no method", row.line));
      continue;
    }
    if (auto [first, fresh] = documented.emplace(row.name, row.line); !fresh) {
      problems.push_back(
          fmt::format("line {}: {} has a second row (the first is on line {})", row.line, row.name, first->second));
      continue;
    }
    const auto method = by_name.find(row.name);
    if (method == by_name.end()) {
      problems.push_back(fmt::format("line {}: {} is documented but is not in the method table", row.line, row.name));
      continue;
    }
    const std::string_view want = permission_name(method->second->permission);
    if (!is_permission_name(row.permission)) {
      problems.push_back(fmt::format("line {}: {} has permission \"{}\", which is none of pairing, read, write, owner", row.line,
                                     row.name, row.permission));
    } else if (row.permission != want) {
      problems.push_back(fmt::format("line {}: {} is documented as {} but the method table says {}", row.line, row.name,
                                     row.permission, want));
    }
  }
  for (const auto& [name, method] : by_name) {
    if (!documented.contains(name)) {
      problems.push_back(fmt::format("{} ({}) is in the method table but has no row in \"{}\"", name,
                                     permission_name(method->permission), kSection));
    }
  }
  return problems;
}

}  // namespace tether::proto
