// Runs a shell command for tests that check whole programs: captures stdout and stderr
// together and the exit status. Wrapped in `timeout` so a hang becomes a failure (status 124)
// instead of a stuck test run.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace pose::test {

struct CommandResult {
  int status = -1;  // the exit status; 124 when the time limit killed it
  std::string output;
};

inline CommandResult run_command(const std::string& command, int timeout_seconds = 120) {
  const std::string full =
      "timeout " + std::to_string(timeout_seconds) + " " + command + " 2>&1";
  CommandResult result;
  std::FILE* pipe = popen(full.c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> chunk{};
  std::size_t n;
  while ((n = std::fread(chunk.data(), 1, chunk.size(), pipe)) > 0) result.output.append(chunk.data(), n);
  const int raw = pclose(pipe);
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  return result;
}

// The whole content of a file ("" when it cannot be read).
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Number of times `needle` occurs in `text`.
inline int count_of(const std::string& text, const std::string& needle) {
  int count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

}  // namespace pose::test
