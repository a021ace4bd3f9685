#include "data/json_fields.h"

#include <cmath>

#include "core/error.h"
#include "io/file.h"

namespace pose::json_fields {

using nlohmann::json;

namespace {

const json& field(const json& item, const char* key, const std::string& where) {
  if (!item.is_object()) throw UserError(cat(where, ": expected a JSON object, found ", item.type_name()));
  const auto it = item.find(key);
  if (it == item.end()) throw UserError(cat(where, ": '", key, "' is missing"));
  return *it;
}

bool is_whole(const json& value) {
  if (value.is_number_integer()) return true;
  if (!value.is_number_float()) return false;
  const double v = value.get<double>();
  // Within int64 and without a fractional part (some writers emit ids as 442619.0).
  return std::floor(v) == v && std::fabs(v) < 9.2e18;
}

std::int64_t whole(const json& value, const char* key, const std::string& where) {
  if (!is_whole(value)) throw UserError(cat(where, ": '", key, "' is not a whole number (", value.dump(), ")"));
  return value.is_number_integer() ? value.get<std::int64_t>() : static_cast<std::int64_t>(value.get<double>());
}

}  // namespace

json parse_file(const std::string& path) {
  try {
    return json::parse(read_text_file(path));
  } catch (const json::exception& e) {
    // parse_error, and out_of_range for a number beyond a double (1e400).
    throw UserError(cat("'", path, "' is not valid JSON: ", e.what()));
  }
}

const json& list(const json& doc, const char* key, const std::string& where) {
  const json& value = field(doc, key, where);
  if (!value.is_array()) throw UserError(cat(where, ": '", key, "' is not a list"));
  return value;
}

std::string text(const json& item, const char* key, const std::string& where) {
  const json& value = field(item, key, where);
  if (!value.is_string()) throw UserError(cat(where, ": '", key, "' is not a string (", value.dump(), ")"));
  return value.get<std::string>();
}

double number(const json& item, const char* key, const std::string& where) {
  const json& value = field(item, key, where);
  if (!value.is_number()) throw UserError(cat(where, ": '", key, "' is not a number (", value.dump(), ")"));
  return value.get<double>();
}

std::int64_t integer(const json& item, const char* key, const std::string& where) {
  return whole(field(item, key, where), key, where);
}

std::int64_t integer_or(const json& item, const char* key, std::int64_t fallback, const std::string& where) {
  if (!item.is_object() || !item.contains(key)) return fallback;
  return whole(item.at(key), key, where);
}

std::vector<double> numbers(const json& item, const char* key, std::size_t count, const std::string& where) {
  const json& value = field(item, key, where);
  if (!value.is_array()) throw UserError(cat(where, ": '", key, "' is not a list"));
  if (value.size() != count)
    throw UserError(cat(where, ": '", key, "' has ", value.size(), " numbers, expected ", count));
  std::vector<double> values;
  values.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (!value[i].is_number())
      throw UserError(cat(where, ": '", key, "'[", i, "] is not a number (", value[i].dump(), ")"));
    values.push_back(value[i].get<double>());
  }
  return values;
}

}  // namespace pose::json_fields
