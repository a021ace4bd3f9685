#include "core/cli_values.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "core/error.h"

namespace pose::cli {

std::vector<std::string> split_assignments(int argc, char** argv) {
  std::vector<std::string> out;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const std::size_t equals = arg.find('=');
    if (arg.rfind("--", 0) == 0 && equals != std::string::npos) {
      out.push_back(arg.substr(0, equals));
      out.push_back(arg.substr(equals + 1));
    } else {
      out.push_back(arg);
    }
  }
  return out;
}

int whole_number(const std::string& flag, const std::string& text, long low, long high) {
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || v < low || v > high)
    throw UserError(cat(flag, " wants a whole number in [", low, ", ", high, "], got '", text, "'"));
  return static_cast<int>(v);
}

std::vector<int> whole_numbers(const std::string& flag, const std::string& text, long low, long high) {
  std::vector<int> values;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) values.push_back(whole_number(flag, item, low, high));
  if (values.empty() || text.back() == ',')
    throw UserError(cat(flag, " wants whole numbers separated by commas (e.g. 1,2,4), got '", text, "'"));
  return values;
}

double positive_number(const std::string& flag, const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v) || v <= 0)
    throw UserError(cat(flag, " wants a number above 0, got '", text, "'"));
  return v;
}

ImageSize image_size(const std::string& flag, const std::string& text) {
  const std::size_t x = text.find('x');
  if (x == std::string::npos)
    throw UserError(cat(flag, " wants WIDTHxHEIGHT (e.g. 192x256), got '", text, "'"));
  ImageSize size;
  size.width = whole_number(flag + " width", text.substr(0, x), 1, 100000);
  size.height = whole_number(flag + " height", text.substr(x + 1), 1, 100000);
  return size;
}

}  // namespace pose::cli
