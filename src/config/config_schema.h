// Private to src/config: the table of every key and the conversion of values to and from text.
#pragma once

#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "config/config.h"

namespace pose::config_schema {

enum class ValueType { Int, Double, Bool, Text, Choice, IntList };

// Accepted numbers from low to high; an open end excludes its bound.
struct Bounds {
  double low = 0;
  double high = 0;
  bool low_open = false;
  bool high_open = false;
};

// Where a key's value lives in Config.
using FieldRef = std::variant<int*, double*, bool*, std::string*, std::vector<int>*>;

struct KeySpec {
  std::string section;
  std::string name;
  ValueType type = ValueType::Text;
  std::string default_text;  // parsed like any other value to build default_config()
  std::string meaning;
  Bounds bounds;                     // Int, Double, and each entry of an IntList
  std::vector<std::string> choices;  // Choice: the texts allowed; Int/IntList: the numbers allowed
                                     // (empty: any number within bounds)
  int multiple_of = 1;               // Int
  bool strictly_increasing = false;  // IntList
  bool allow_empty = true;           // Text
  FieldRef (*field)(Config&) = nullptr;

  std::string key() const { return section + "." + name; }
};

// Every key, grouped by section in the order of section_names().
const std::vector<KeySpec>& schema();
const std::vector<std::string>& section_names();
const KeySpec* find_key(const std::string& key);  // nullptr when unknown

// What a key accepts, in words: "a number in (0, 10]", "one of: nccl, mpi".
std::string accepted_values(const KeySpec& spec);

// Converts `text`, checks it against the key's type and range and stores it in `config`.
// `where` names the value's source ("configs/a.ini line 3", "command line") for the error.
void assign_value(const KeySpec& spec, const std::string& text, const std::string& where,
                  Config& config);

// The value's text as assign_value reads it back (numbers in their shortest exact form).
std::string format_value(const KeySpec& spec, const Config& config);

// A rule between keys, checked after every value is read. `describe` names a key's value and
// its source for the message: train.epochs = "140" (configs/a.ini line 9).
using DescribeKey = std::function<std::string(const std::string& key)>;
struct CrossKeyRule {
  std::string summary;  // for --help
  void (*check)(const Config& config, const DescribeKey& describe);  // throws UserError
};
const std::vector<CrossKeyRule>& cross_key_rules();

}  // namespace pose::config_schema
