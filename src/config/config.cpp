// Reading the configuration: defaults, then the --config file, then flags; then the rules
// between keys. Every key is registered with Boost as plain text so that Boost never judges a
// value itself: config_values.cpp converts and checks it knowing where it came from.
#include "config/config.h"

#include <algorithm>
#include <boost/program_options.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <vector>

#include "config/config_schema.h"
#include "core/error.h"

namespace po = boost::program_options;

namespace pose {
namespace {

using config_schema::find_key;
using config_schema::KeySpec;
using config_schema::schema;

// Boost hands positional arguments to this hidden option, so they can be named in the error.
constexpr const char* kStrayArgument = "stray-argument";

const char* origin_name(ValueOrigin origin) {
  switch (origin) {
    case ValueOrigin::Default:
      return "default";
    case ValueOrigin::File:
      return "file";
    case ValueOrigin::Flag:
      return "flag";
  }
  return "";
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      current[j] = std::min(
          {previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(previous, current);
  }
  return previous[b.size()];
}

// What to tell the user after an unknown key: the known key it most likely meant (same name in
// another section, or a few typos away), written after `prefix` ("--" for flags), and where to
// find every key.
std::string unknown_key_hint(const std::string& unknown, const char* prefix) {
  const std::string name = unknown.substr(unknown.rfind('.') + 1);
  const KeySpec* best = nullptr;
  std::size_t best_distance = 3;  // more typos than this suggest nothing
  for (const KeySpec& spec : schema()) {
    const std::size_t distance = spec.name == name ? 0 : edit_distance(unknown, spec.key());
    if (distance <= best_distance) {
      best = &spec;
      best_distance = distance;
    }
  }
  const std::string help = "run with --help to list every key";
  return best ? cat("; did you mean ", prefix, best->key(), "? Or ", help) : "; " + help;
}

po::options_description key_options() {
  po::options_description options;
  for (const KeySpec& spec : schema())
    options.add_options()(spec.key().c_str(), po::value<std::string>());
  return options;
}

struct CommandLine {
  std::optional<std::string> config_file;
  bool help = false;
  bool print_config = false;
  std::vector<std::pair<const KeySpec*, std::string>> values;  // in the order given
};

CommandLine read_command_line(int argc, const char* const argv[]) {
  po::options_description options = key_options();
  options.add_options()("config", po::value<std::string>())("help", po::bool_switch())(
      "print-config", po::bool_switch())(kStrayArgument, po::value<std::string>());
  po::positional_options_description positional;
  positional.add(kStrayArgument, -1);
  // Without guessing, "--train.l" is an unknown flag rather than a guess at "--train.lr".
  const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;

  po::parsed_options parsed(&options);
  try {
    parsed = po::command_line_parser(argc, argv)
                 .options(options)
                 .positional(positional)
                 .style(style)
                 .run();
  } catch (const po::unknown_option& e) {
    const std::string flag = e.get_option_name();
    std::string key = flag;
    key.erase(0, key.find_first_not_of('-'));
    throw UserError(
        cat("config error: unknown flag ", flag, " (command line)", unknown_key_hint(key, "--")));
  } catch (const po::error& e) {
    throw UserError(
        cat("config error: ", e.what(), " (command line); run with --help to list every flag"));
  }

  CommandLine command_line;
  std::map<std::string, std::string> first_value;
  for (const po::option& option : parsed.options) {
    const std::string& key = option.string_key;
    const std::string value = option.value.empty() ? "" : option.value.front();
    if (key == kStrayArgument)
      throw UserError(cat("config error: unexpected argument \"", value,
                          "\" (command line); accepted: --config FILE, --section.key VALUE, "
                          "--print-config, --help"));
    auto [first, inserted] = first_value.emplace(key, value);
    if (!inserted)
      throw UserError(cat("config error: --", key, " is given twice (command line): \"",
                          first->second, "\" and \"", value, "\"; accepted: one value per flag"));
    if (key == "config") {
      command_line.config_file = value;
    } else if (key == "help") {
      command_line.help = true;
    } else if (key == "print-config") {
      command_line.print_config = true;
    } else {
      command_line.values.emplace_back(find_key(key), value);
    }
  }
  return command_line;
}

std::string read_config_file(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored))
    throw UserError(cat("config error: cannot read config file \"", path, "\": it is a directory"));
  errno = 0;
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  if (file) text << file.rdbuf();
  if (!file || file.bad())
    throw UserError(cat("config error: cannot read config file \"", path,
                        "\": ", errno ? std::strerror(errno) : "read failed"));
  return text.str();
}

std::string trim(const std::string& text) {
  auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

// Line numbers of the "key = value" lines, per dotted key in file order, found the way Boost
// reads the file ('#' starts a comment; "[section]" prefixes the keys below it). Boost reports
// no line numbers; lines it would reject are reported here, with theirs.
std::map<std::string, std::vector<int>> key_lines(const std::string& path,
                                                  const std::string& text) {
  std::map<std::string, std::vector<int>> lines;
  std::istringstream stream(text);
  std::string prefix;
  std::string raw;
  for (int number = 1; std::getline(stream, raw); ++number) {
    const std::string line = trim(raw.substr(0, raw.find('#')));
    if (line.empty()) continue;
    if (line.front() == '[' && line.back() == ']') {
      prefix = line.substr(1, line.size() - 2) + ".";
      continue;
    }
    const auto equals = line.find('=');
    if (equals == std::string::npos || trim(line.substr(0, equals)).empty())
      throw UserError(cat("config error: cannot read \"", line, "\" (", path, " line ", number,
                          "); accepted: \"key = value\", \"[section]\" or a '#' comment"));
    lines[prefix + trim(line.substr(0, equals))].push_back(number);
  }
  return lines;
}

// Key -> the config-file line of the value in effect, for messages.
using FileLines = std::map<std::string, int>;

void apply_file(const std::string& path, Config& config, FileLines& used_lines) {
  const std::string text = read_config_file(path);
  std::map<std::string, std::vector<int>> lines = key_lines(path, text);
  const po::options_description options = key_options();
  std::istringstream stream(text);
  po::parsed_options parsed(&options);
  try {
    parsed = po::parse_config_file(stream, options, /*allow_unregistered=*/true);
  } catch (const po::error& e) {
    throw UserError(cat("config error: cannot read ", path, ": ", e.what()));
  }

  std::map<std::string, std::pair<std::string, int>> first_seen;  // key -> (value, line)
  for (const po::option& option : parsed.options) {
    const std::string& key = option.string_key;
    const std::string value = option.value.empty() ? "" : option.value.front();
    const std::vector<int>& numbers = lines[key];
    const std::size_t occurrence = first_seen.count(key);
    const int line = occurrence < numbers.size() ? numbers[occurrence] : 0;
    const std::string where = line > 0 ? cat(path, " line ", line) : path;
    const KeySpec* spec = option.unregistered ? nullptr : find_key(key);
    if (!spec)
      throw UserError(cat("config error: unknown key ", key, " = \"", value, "\" (", where, ")",
                          unknown_key_hint(key, "")));
    auto [first, inserted] = first_seen.emplace(key, std::pair{value, line});
    if (!inserted)
      throw UserError(cat("config error: ", key, " is given twice in ", path, ": \"",
                          first->second.first, "\" at line ", first->second.second, " and \"",
                          value, "\" at line ", line, "; accepted: one value per key"));
    config_schema::assign_value(*spec, value, where, config);
    config.origins[key] = ValueOrigin::File;
    used_lines[key] = line;
  }
}

std::string source_text(const Config& config, const FileLines& file_lines, const std::string& key) {
  switch (config.origins.at(key)) {
    case ValueOrigin::Default:
      return "default";
    case ValueOrigin::File:
      return cat(config.source_file, " line ", file_lines.at(key));
    case ValueOrigin::Flag:
      return "command line";
  }
  return "";
}

// `text` broken into lines of at most `width` characters, each after `indent`.
std::string wrapped(const std::string& text, const std::string& indent, std::size_t width) {
  std::istringstream words(text);
  std::string result;
  std::string line;
  std::string word;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      result += indent + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return result + indent + line + "\n";
}

}  // namespace

Config default_config() {
  static const Config defaults = [] {
    Config config;
    for (const KeySpec& spec : schema()) {
      config_schema::assign_value(spec, spec.default_text, "built-in default", config);
      config.origins[spec.key()] = ValueOrigin::Default;
    }
    return config;
  }();
  return defaults;
}

bool same_settings(const Config& a, const Config& b) {
  for (const KeySpec& spec : schema())
    if (config_schema::format_value(spec, a) != config_schema::format_value(spec, b)) return false;
  return true;
}

ParsedCommandLine parse_command_line(int argc, const char* const argv[], std::ostream& out) {
  const CommandLine command_line = read_command_line(argc, argv);
  ParsedCommandLine result;
  result.config = default_config();
  if (command_line.help) {
    const std::string program = argc > 0 ? argv[0] : "pose_train";
    out << config_help(program.substr(program.find_last_of('/') + 1));
    result.stop = true;
    return result;
  }

  Config& config = result.config;
  FileLines file_lines;
  if (command_line.config_file) {
    config.source_file = *command_line.config_file;
    apply_file(config.source_file, config, file_lines);
  }
  for (const auto& [spec, value] : command_line.values) {
    config_schema::assign_value(*spec, value, "command line", config);
    config.origins[spec->key()] = ValueOrigin::Flag;
  }

  const config_schema::DescribeKey describe = [&](const std::string& key) {
    const KeySpec* spec = find_key(key);
    POSE_CHECK(spec != nullptr, "a cross-key rule names the unknown key ", key);
    return cat(key, " = \"", config_schema::format_value(*spec, config), "\" (",
               source_text(config, file_lines, key), ")");
  };
  for (const config_schema::CrossKeyRule& rule : config_schema::cross_key_rules())
    rule.check(config, describe);

  if (command_line.print_config) {
    out << effective_config_ini(config);
    result.stop = true;
  }
  return result;
}

std::string effective_config_ini(const Config& config) {
  constexpr std::size_t kCommentColumn = 48;
  std::ostringstream ini;
  ini << "# Effective configuration: built-in defaults";
  if (!config.source_file.empty()) ini << ", then " << config.source_file;
  ini << ", then command-line flags.\n"
         "# Readable with --config; the comment after each value names where it came from.\n";
  for (const std::string& section : config_schema::section_names()) {
    ini << "\n[" << section << "]\n";
    for (const KeySpec& spec : schema()) {
      if (spec.section != section) continue;
      std::string line = spec.name + " = " + config_schema::format_value(spec, config);
      line.resize(std::max(line.size() + 2, kCommentColumn), ' ');
      auto origin = config.origins.find(spec.key());
      ini << line << "# "
          << origin_name(origin == config.origins.end() ? ValueOrigin::Default : origin->second)
          << "\n";
    }
  }
  return ini.str();
}

std::string config_help(const std::string& program) {
  std::ostringstream help;
  help << "Usage: " << program << " [--config FILE] [--section.key VALUE ...] [--print-config] [--help]\n"
          "\n"
          "  --config FILE      INI file: \"key = value\" lines under \"[section]\" headers,\n"
          "                     '#' starts a comment. Without it, the defaults below apply.\n"
          "  --section.key V    sets one key, also as --section.key=V. A flag overrides the\n"
          "                     file, which overrides the default.\n"
          "  --print-config     print the effective configuration as INI and stop\n"
          "  --help             print this text and stop\n"
          "\n"
          "Keys, by section (default; accepted values):\n";
  for (const std::string& section : config_schema::section_names()) {
    help << "\n[" << section << "]\n";
    for (const KeySpec& spec : schema()) {
      if (spec.section != section) continue;
      help << "  " << spec.key() << "  (default "
           << (spec.default_text.empty() ? "empty" : spec.default_text) << "; "
           << config_schema::accepted_values(spec) << ")\n"
           << wrapped(spec.meaning, "      ", 88);
    }
  }
  help << "\nRules between keys:\n";
  for (const config_schema::CrossKeyRule& rule : config_schema::cross_key_rules())
    help << "  - " << rule.summary << "\n";
  return help.str();
}

}  // namespace pose
