// UTF-8 and JSON-text repairs for what agents print, so every event tether keeps is
// valid UTF-8. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tether::core {

// At most `limit` bytes of s, cut at a character boundary, with each invalid byte
// replaced by U+FFFD. Returns whether anything was left out.
bool utf8_prefix(std::string_view s, std::size_t limit, std::string& out);

// Whether s is entirely valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool utf8_valid(std::string_view s);

// The longest prefix of valid UTF-8 s of at most `limit` bytes that ends on a character boundary.
std::string_view cut_utf8(std::string_view s, std::size_t limit);

// JSON text with every unpaired \uD800-\uDFFF escape replaced by \uFFFD. JavaScript's
// JSON.stringify writes them for strings cut inside a surrogate pair; Boost.JSON refuses them.
std::string replace_lone_surrogates(std::string_view json_text);

// utf8_prefix as a value: text from outside made fit for a JSON string.
inline std::string utf8_excerpt(std::string_view text, std::size_t limit) {
  std::string out;
  utf8_prefix(text, limit, out);
  return out;
}

}  // namespace tether::core
