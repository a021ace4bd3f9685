#include "core/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>
#include <vector>

namespace pose::log {
namespace {

struct State {
  int rank = 0;
  int world_size = 1;
  bool all_ranks = false;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  std::mutex mutex;  // loader threads may log too
  std::FILE* copy = nullptr;           // copy_to_file's file
  std::vector<std::string> earlier;    // lines printed before it was given
  bool copying_ended = false;          // too many lines kept without a file: stop keeping
};

// Lines kept for a file that may never be given (a program without a run folder).
constexpr std::size_t kMaxEarlierLines = 10000;

std::string clock_time() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%SZ", &utc);
  return text;
}

State& state() {
  static State s;
  return s;
}

void emit(std::FILE* stream, const char* level, const std::string& message, bool tag_rank) {
  State& s = state();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - s.start).count();
  char prefix[96];
  if (tag_rank && s.world_size > 1)
    std::snprintf(prefix, sizeof prefix, "[%s %8.1fs rank %d] ", clock_time().c_str(), seconds, s.rank);
  else
    std::snprintf(prefix, sizeof prefix, "[%s %8.1fs] ", clock_time().c_str(), seconds);
  const std::string line = std::string(prefix) + level + message + "\n";
  std::lock_guard<std::mutex> lock(s.mutex);
  std::fputs(line.c_str(), stream);
  std::fflush(stream);
  if (s.copy) {
    std::fputs(line.c_str(), s.copy);
    std::fflush(s.copy);
  } else if (!s.copying_ended) {
    s.earlier.push_back(line);
    if (s.earlier.size() > kMaxEarlierLines) {
      s.earlier.clear();
      s.copying_ended = true;
    }
  }
}

}  // namespace

void set_rank(int rank, int world_size, bool all_ranks_log) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.rank = rank;
  s.world_size = world_size;
  s.all_ranks = all_ranks_log;
}

void copy_to_file(const std::string& path) {
  State& s = state();
  std::FILE* file = std::fopen(path.c_str(), "a");
  if (!file) throw UserError(cat("cannot open the console log '", path, "' for appending"));
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.copy) std::fclose(s.copy);
  s.copy = file;
  for (const std::string& line : s.earlier) std::fputs(line.c_str(), file);
  s.earlier.clear();
  std::fflush(file);
}

void write_info(const std::string& message) {
  const State& s = state();
  if (s.rank == 0 || s.all_ranks) emit(stdout, "", message, s.all_ranks);
}

void write_warn(const std::string& message) { emit(stderr, "warning: ", message, true); }

void write_error(const std::string& message) { emit(stderr, "error: ", message, true); }

}  // namespace pose::log
