#include "core/log.h"

#include <chrono>
#include <cstdio>
#include <mutex>

namespace pose::log {
namespace {

struct State {
  int rank = 0;
  int world_size = 1;
  bool all_ranks = false;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  std::mutex mutex;  // loader threads may log too
};

State& state() {
  static State s;
  return s;
}

void emit(std::FILE* stream, const char* level, const std::string& message, bool tag_rank) {
  State& s = state();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - s.start).count();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (tag_rank && s.world_size > 1)
    std::fprintf(stream, "[%8.1fs rank %d] %s%s\n", seconds, s.rank, level, message.c_str());
  else
    std::fprintf(stream, "[%8.1fs] %s%s\n", seconds, level, message.c_str());
  std::fflush(stream);
}

}  // namespace

void set_rank(int rank, int world_size, bool all_ranks_log) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.rank = rank;
  s.world_size = world_size;
  s.all_ranks = all_ranks_log;
}

void write_info(const std::string& message) {
  const State& s = state();
  if (s.rank == 0 || s.all_ranks) emit(stdout, "", message, s.all_ranks);
}

void write_warn(const std::string& message) { emit(stderr, "warning: ", message, true); }

void write_error(const std::string& message) { emit(stderr, "error: ", message, true); }

}  // namespace pose::log
