// NameTable: an enum's values and their wire/store names, for the one conversion each
// vocabulary header defines (to_string, parse_*). Not for error codes (errc.hpp).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace tether::core {

template <class E, std::size_t N>
struct NameTable {
  std::array<std::pair<E, std::string_view>, N> entries;

  constexpr std::string_view name(E value) const {
    for (const auto& [v, n] : entries) {
      if (v == value) return n;
    }
    return "?";
  }
  constexpr std::optional<E> find(std::string_view text) const {
    for (const auto& [v, n] : entries) {
      if (n == text) return v;
    }
    return std::nullopt;
  }
  // "a, b or c", for messages that list the valid names.
  std::string list() const {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) {
      if (i > 0) out += i + 1 == N ? " or " : ", ";
      out += entries[i].second;
    }
    return out;
  }
};

template <class E, class... Names>
constexpr auto name_table(std::pair<E, Names>... entries) {
  return NameTable<E, sizeof...(Names)>{{std::pair<E, std::string_view>(entries.first, entries.second)...}};
}

}  // namespace tether::core
