// Errors: every failure carries a place (file:line) and a reason.
//
// Error      an internal failure (a library call, a broken invariant). The message names the
//            source location, the call and the library's own message.
// UserError  bad input the user can fix (config, paths, data). The message says what is wrong
//            and what to do; it is printed as-is, without source locations.
// OutOfMemory an allocation failed; turned into a UserError by whoever knows the setting
//            behind the size.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace pose {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class UserError : public Error {
 public:
  using Error::Error;
};

// A host or device allocation that failed: the caller that knows which setting asked for the
// memory (a batch size, an input size) turns it into a UserError naming that setting.
class OutOfMemory : public Error {
 public:
  using Error::Error;
};

// "file.cpp:42" with the directories stripped, for compact messages.
std::string source_location(const char* file, int line);

// Builds a message from any streamable parts: cat("x = ", 3, ", y") -> "x = 3, y".
template <typename... Parts>
std::string cat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}

[[noreturn]] void throw_error(const char* file, int line, const std::string& message);

}  // namespace pose

// An internal invariant; failing it is a bug in this program, not in the user's input.
#define POSE_CHECK(condition, ...)                                                         \
  do {                                                                                     \
    if (!(condition))                                                                      \
      ::pose::throw_error(__FILE__, __LINE__,                                              \
                          ::pose::cat("check failed: " #condition ": ", __VA_ARGS__));     \
  } while (0)
