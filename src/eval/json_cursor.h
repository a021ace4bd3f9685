// A forward-only reader of JSON text for big files that are read once into fixed structures
// (100,000 keypoint results, ~110 MB): no document tree, numbers through std::from_chars.
// About six times faster than nlohmann::json on a results file, which is what keeps the
// metric under a second at val2017 size. Strict JSON (RFC 8259) except that bytes >= 0x80
// in strings are passed through unchecked. Every syntax error is a UserError that names the
// source and the line and column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pose {

class JsonCursor {
 public:
  JsonCursor(std::string_view text, std::string source);

  // The next value's first character after whitespace ('{', '[', '"', 't', 'f', 'n', '-' or a
  // digit), or '\0' at the end of the text.
  char peek();
  bool next_is_number();

  // Containers. begin_* consume the opening bracket (an error if the next value is not one);
  // next_element / next_key then step through the members and return false once they have
  // consumed the closing bracket.
  void begin_array();
  bool next_element();
  void begin_object();
  bool next_key(std::string& key);

  // Scalars: error unless the next value is a number (of any form).
  double number();
  // The number as an integer: integer tokens exactly, 3.0 or 3e2 when whole. Returns false,
  // consuming nothing, when the next value is not a number or not a whole one.
  bool whole_number(std::int64_t& value);
  // Skips any value and returns its text, for messages.
  std::string_view skip_value();
  // Only whitespace may follow the top-level value.
  void expect_end();

  // A syntax error at the current position.
  [[noreturn]] void fail(const std::string& what) const;

 private:
  std::string position() const;  // "line L, column C" of the next character
  void skip_space();
  void expect(char c, const char* what);
  std::string_view number_token();  // validates the JSON number grammar, consumes it
  void string_into(std::string* out);  // consumes a string; decodes into out when given
  void skip_value_at(int depth);

  std::string_view text_;
  std::size_t at_ = 0;
  std::string source_;
  bool first_member_ = false;  // just after '[' or '{'
};

}  // namespace pose
