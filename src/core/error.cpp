#include "core/error.h"

#include <cstring>

namespace pose {

std::string source_location(const char* file, int line) {
  const char* slash = std::strrchr(file, '/');
  return cat(slash ? slash + 1 : file, ":", line);
}

void throw_error(const char* file, int line, const std::string& message) {
  throw Error(cat(source_location(file, line), ": ", message));
}

}  // namespace pose
