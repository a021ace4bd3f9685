#include "eval/json_cursor.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "core/error.h"

namespace pose {

namespace {

constexpr int kMaxDepth = 256;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, unsigned code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

}  // namespace

JsonCursor::JsonCursor(std::string_view text, std::string source) : text_(text), source_(std::move(source)) {}

void JsonCursor::skip_space() {
  while (at_ < text_.size()) {
    const char c = text_[at_];
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
    ++at_;
  }
}

char JsonCursor::peek() {
  skip_space();
  return at_ < text_.size() ? text_[at_] : '\0';
}

bool JsonCursor::next_is_number() {
  const char c = peek();
  return c == '-' || is_digit(c);
}

std::string JsonCursor::position() const {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < at_ && i < text_.size(); ++i) {
    if (text_[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return cat("line ", line, ", column ", column);
}

void JsonCursor::fail(const std::string& what) const {
  throw UserError(cat("'", source_, "' is not valid JSON (", position(), "): ", what));
}

void JsonCursor::expect(char c, const char* what) {
  if (peek() != c) fail(what);
  ++at_;
}

void JsonCursor::begin_array() {
  expect('[', "expected '['");
  first_member_ = true;
}

bool JsonCursor::next_element() {
  const char c = peek();
  if (c == ']') {
    ++at_;
    first_member_ = false;
    return false;
  }
  if (!first_member_) expect(',', "expected ',' or ']'");
  first_member_ = false;
  return true;
}

void JsonCursor::begin_object() {
  expect('{', "expected '{'");
  first_member_ = true;
}

bool JsonCursor::next_key(std::string& key) {
  const char c = peek();
  if (c == '}') {
    ++at_;
    first_member_ = false;
    return false;
  }
  if (!first_member_) expect(',', "expected ',' or '}'");
  first_member_ = false;
  if (peek() != '"') fail("expected a key in double quotes");
  key.clear();
  string_into(&key);
  expect(':', "expected ':' after a key");
  return true;
}

std::string_view JsonCursor::number_token() {
  skip_space();
  const std::size_t start = at_;
  auto here = [&] { return at_ < text_.size() ? text_[at_] : '\0'; };
  if (here() == '-') ++at_;
  if (here() == '0') {
    ++at_;
  } else if (is_digit(here())) {
    while (is_digit(here())) ++at_;
  } else {
    fail("invalid number");
  }
  if (here() == '.') {
    ++at_;
    if (!is_digit(here())) fail("invalid number: no digit after '.'");
    while (is_digit(here())) ++at_;
  }
  if (here() == 'e' || here() == 'E') {
    ++at_;
    if (here() == '+' || here() == '-') ++at_;
    if (!is_digit(here())) fail("invalid number: no digit in the exponent");
    while (is_digit(here())) ++at_;
  }
  return text_.substr(start, at_ - start);
}

double JsonCursor::number() {
  if (!next_is_number()) fail("expected a number");
  const std::string_view token = number_token();
  double value = 0;
  const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (error == std::errc::result_out_of_range) {
    // Underflow reads as the nearest tiny value or 0, as in Python; overflow is refused.
    value = std::strtod(std::string(token).c_str(), nullptr);
    if (std::isinf(value)) fail(cat("number ", token, " is out of the range of a double"));
  } else if (error != std::errc() || end != token.data() + token.size()) {
    fail(cat("invalid number ", token));
  }
  return value;
}

bool JsonCursor::whole_number(std::int64_t& value) {
  if (!next_is_number()) return false;
  const std::size_t start = at_;
  const std::string_view token = number_token();
  if (token.find_first_of(".eE") == std::string_view::npos) {
    const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (error == std::errc() && end == token.data() + token.size()) return true;
  } else {
    at_ = start;
    const double v = number();
    // Within int64 and without a fractional part (some writers emit ids as 442619.0).
    if (std::floor(v) == v && std::fabs(v) < 9.2e18) {
      value = static_cast<std::int64_t>(v);
      return true;
    }
  }
  at_ = start;
  return false;
}

void JsonCursor::string_into(std::string* out) {
  ++at_;  // the opening quote
  while (true) {
    const std::size_t run = at_;
    while (at_ < text_.size() && text_[at_] != '"' && text_[at_] != '\\' &&
           static_cast<unsigned char>(text_[at_]) >= 0x20)
      ++at_;
    if (out) out->append(text_.data() + run, at_ - run);
    if (at_ >= text_.size()) fail("unterminated string");
    const char c = text_[at_];
    if (c == '"') {
      ++at_;
      return;
    }
    if (c != '\\') fail("control character in a string");
    if (++at_ >= text_.size()) fail("unterminated string");
    const char e = text_[at_++];
    char plain = 0;
    switch (e) {
      case '"': plain = '"'; break;
      case '\\': plain = '\\'; break;
      case '/': plain = '/'; break;
      case 'b': plain = '\b'; break;
      case 'f': plain = '\f'; break;
      case 'n': plain = '\n'; break;
      case 'r': plain = '\r'; break;
      case 't': plain = '\t'; break;
      case 'u': break;
      default: fail(cat("invalid escape '\\", e, "' in a string"));
    }
    if (plain) {
      if (out) *out += plain;
      continue;
    }
    auto code_unit = [&]() -> unsigned {
      unsigned code = 0;
      for (int i = 0; i < 4; ++i) {
        const int h = at_ < text_.size() ? hex_value(text_[at_]) : -1;
        if (h < 0) fail("invalid \\u escape in a string");
        code = code * 16 + static_cast<unsigned>(h);
        ++at_;
      }
      return code;
    };
    unsigned code = code_unit();
    if (code >= 0xDC00 && code <= 0xDFFF) fail("lone low surrogate in a string");
    if (code >= 0xD800 && code <= 0xDBFF) {
      if (text_.substr(at_, 2) != "\\u") fail("high surrogate without its low half in a string");
      at_ += 2;
      const unsigned low = code_unit();
      if (low < 0xDC00 || low > 0xDFFF) fail("high surrogate without its low half in a string");
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    if (out) append_utf8(*out, code);
  }
}

std::string_view JsonCursor::skip_value() {
  skip_space();
  const std::size_t start = at_;
  skip_value_at(0);
  return text_.substr(start, at_ - start);
}

void JsonCursor::skip_value_at(int depth) {
  if (depth > kMaxDepth) fail("nested too deeply");
  const char c = peek();
  if (c == '{') {
    begin_object();
    std::string key;
    while (next_key(key)) skip_value_at(depth + 1);
  } else if (c == '[') {
    begin_array();
    while (next_element()) skip_value_at(depth + 1);
  } else if (c == '"') {
    string_into(nullptr);
  } else if (c == '-' || is_digit(c)) {
    number_token();
  } else {
    for (const std::string_view word : {"true", "false", "null"})
      if (text_.substr(at_, word.size()) == word) {
        at_ += word.size();
        return;
      }
    fail(at_ < text_.size() ? "expected a value" : "unexpected end of the text");
  }
}

void JsonCursor::expect_end() {
  if (peek() != '\0' || at_ < text_.size()) fail("unexpected text after the end of the value");
}

}  // namespace pose
