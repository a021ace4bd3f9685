// Values to and from text: parsing, range checks, printing, and what each key accepts.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>

#include "config/config_schema.h"
#include "core/error.h"

namespace pose::config_schema {
namespace {

// The shortest %g-style text that reads back to exactly the same double (0.001, 5e-08);
// whole numbers in full (65536, 100000), not as 1e+05.
std::string number_text(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15)
    return std::to_string(static_cast<long long>(value));
  char buffer[64];
  char* end = buffer;
  for (int digits = 1; digits <= 17; ++digits) {
    end = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, digits)
              .ptr;
    double reread = 0;
    std::from_chars(buffer, end, reread);
    if (reread == value) break;
  }
  return std::string(buffer, end);
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string joined;
  for (const std::string& item : items) joined += (joined.empty() ? "" : separator) + item;
  return joined;
}

std::string bounds_text(const Bounds& bounds) {
  return cat(bounds.low_open ? "(" : "[", number_text(bounds.low), ", ", number_text(bounds.high),
             bounds.high_open ? ")" : "]");
}

bool within(double value, const Bounds& bounds) {
  bool above = bounds.low_open ? value > bounds.low : value >= bounds.low;
  bool below = bounds.high_open ? value < bounds.high : value <= bounds.high;
  return above && below;
}

std::string trim(const std::string& text) {
  auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The whole text must be the number: "3.5" is not an integer, "12abc" not a number.
std::optional<long long> parse_integer(const std::string& text) {
  const char* first = text.data();
  const char* last = first + text.size();
  if (first != last && *first == '+') ++first;
  long long value = 0;
  auto result = std::from_chars(first, last, value);
  if (first == last || result.ec != std::errc() || result.ptr != last) return std::nullopt;
  return value;
}

std::optional<double> parse_double(const std::string& text) {
  const char* first = text.data();
  const char* last = first + text.size();
  if (first != last && *first == '+') ++first;
  double value = 0;
  auto result = std::from_chars(first, last, value);
  if (first == last || result.ec != std::errc() || result.ptr != last || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::optional<bool> parse_bool(const std::string& text) {
  const std::string word = lowercase(text);
  if (word == "true" || word == "1" || word == "yes" || word == "on") return true;
  if (word == "false" || word == "0" || word == "no" || word == "off") return false;
  return std::nullopt;
}

[[noreturn]] void reject(const KeySpec& spec, const std::string& text, const std::string& where,
                         const std::string& problem) {
  throw UserError(cat("config error: ", spec.key(), " = \"", text, "\" (", where, "): ", problem,
                      "; accepted: ", accepted_values(spec)));
}

// One whole number, alone or as a list entry (`what` is "value" or "entry 2").
int parse_checked_integer(const KeySpec& spec, const std::string& item, const std::string& what,
                          const std::string& text, const std::string& where) {
  auto value = parse_integer(item);
  if (!value) reject(spec, text, where, cat(what, " \"", item, "\" is not a whole number"));
  if (!spec.choices.empty()) {
    if (std::find(spec.choices.begin(), spec.choices.end(), std::to_string(*value)) ==
        spec.choices.end())
      reject(spec, text, where, cat(what, " ", *value, " is not an allowed value"));
  } else if (!within(static_cast<double>(*value), spec.bounds)) {
    reject(spec, text, where, cat(what, " ", *value, " is out of range"));
  }
  if (*value % spec.multiple_of != 0)
    reject(spec, text, where, cat(what, " ", *value, " is not a multiple of ", spec.multiple_of));
  return static_cast<int>(*value);
}

std::vector<int> parse_int_list(const KeySpec& spec, const std::string& text,
                                const std::string& where) {
  std::vector<int> values;
  if (trim(text).empty()) return values;
  std::size_t start = 0;
  for (int entry = 1;; ++entry) {
    const std::size_t comma = text.find(',', start);
    const std::string item = trim(text.substr(start, comma - start));
    if (item.empty()) reject(spec, text, where, cat("entry ", entry, " is empty"));
    values.push_back(parse_checked_integer(spec, item, cat("entry ", entry), text, where));
    if (spec.strictly_increasing && values.size() > 1 && values.back() <= values[values.size() - 2])
      reject(spec, text, where,
             cat("entry ", entry, " (", values.back(), ") is not above the one before it"));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return values;
}

}  // namespace

std::string accepted_values(const KeySpec& spec) {
  switch (spec.type) {
    case ValueType::Int:
      if (!spec.choices.empty()) return "one of: " + join(spec.choices, ", ");
      return cat("a whole number in ", bounds_text(spec.bounds),
                 spec.multiple_of > 1 ? cat(", a multiple of ", spec.multiple_of) : "");
    case ValueType::Double:
      return "a number in " + bounds_text(spec.bounds);
    case ValueType::Bool:
      return "true/false, yes/no, on/off or 1/0";
    case ValueType::Text:
      return spec.allow_empty ? "any text without '#', or empty" : "a non-empty text without '#'";
    case ValueType::Choice:
      return "one of: " + join(spec.choices, ", ");
    case ValueType::IntList:
      return cat("comma-separated whole numbers, each ",
                 spec.choices.empty() ? "in " + bounds_text(spec.bounds)
                                      : "one of " + join(spec.choices, ", "),
                 spec.strictly_increasing ? ", increasing" : "", "; or empty");
  }
  return "";
}

void assign_value(const KeySpec& spec, const std::string& text, const std::string& where,
                  Config& config) {
  const FieldRef field = spec.field(config);
  switch (spec.type) {
    case ValueType::Int:
      *std::get<int*>(field) = parse_checked_integer(spec, text, "value", text, where);
      return;
    case ValueType::Double: {
      auto value = parse_double(text);
      if (!value) reject(spec, text, where, "not a number");
      if (!within(*value, spec.bounds)) reject(spec, text, where, "out of range");
      *std::get<double*>(field) = *value;
      return;
    }
    case ValueType::Bool: {
      auto value = parse_bool(text);
      if (!value) reject(spec, text, where, "not a yes/no value");
      *std::get<bool*>(field) = *value;
      return;
    }
    case ValueType::Text:
      if (!spec.allow_empty && text.empty()) reject(spec, text, where, "must not be empty");
      // An INI file ends a value at '#' (a comment), so such a value would not read back.
      if (text.find_first_of("#\r\n") != std::string::npos)
        reject(spec, text, where, "contains '#' or a line break");
      *std::get<std::string*>(field) = text;
      return;
    case ValueType::Choice:
      if (std::find(spec.choices.begin(), spec.choices.end(), text) == spec.choices.end())
        reject(spec, text, where, "not one of the choices");
      *std::get<std::string*>(field) = text;
      return;
    case ValueType::IntList:
      *std::get<std::vector<int>*>(field) = parse_int_list(spec, text, where);
      return;
  }
}

std::string format_value(const KeySpec& spec, const Config& config) {
  // The field accessor takes a mutable Config; it is only read here.
  const FieldRef field = spec.field(const_cast<Config&>(config));
  switch (spec.type) {
    case ValueType::Int:
      return std::to_string(*std::get<int*>(field));
    case ValueType::Double:
      return number_text(*std::get<double*>(field));
    case ValueType::Bool:
      return *std::get<bool*>(field) ? "true" : "false";
    case ValueType::Text:
    case ValueType::Choice:
      return *std::get<std::string*>(field);
    case ValueType::IntList: {
      std::vector<std::string> items;
      for (int value : *std::get<std::vector<int>*>(field)) items.push_back(std::to_string(value));
      return join(items, ",");
    }
  }
  return "";
}

}  // namespace pose::config_schema
