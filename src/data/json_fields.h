// Checked access to the fields of a JSON item read from a user's file. Every failure is a
// UserError that starts with `where` (the file and the item, e.g. "'ann.json' annotations[12]
// (id 442619)") and names the field, so a bad item in a 400 MB file can be found.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace pose::json_fields {

// The whole file parsed; a UserError naming the path when it is not JSON.
nlohmann::json parse_file(const std::string& path);

// doc[key] as a list.
const nlohmann::json& list(const nlohmann::json& doc, const char* key, const std::string& where);

std::string text(const nlohmann::json& item, const char* key, const std::string& where);

double number(const nlohmann::json& item, const char* key, const std::string& where);

// A whole number (ids, sizes, flags); 3.0 is accepted, 3.5 is not.
std::int64_t integer(const nlohmann::json& item, const char* key, const std::string& where);

// item[key] if present, else `fallback`.
std::int64_t integer_or(const nlohmann::json& item, const char* key, std::int64_t fallback,
                        const std::string& where);

// A list of exactly `count` numbers.
std::vector<double> numbers(const nlohmann::json& item, const char* key, std::size_t count,
                            const std::string& where);

}  // namespace pose::json_fields
