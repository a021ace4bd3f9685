#include "data/progress_line.h"

#include <cstdio>

namespace pose {

namespace {
constexpr std::chrono::milliseconds kInterval(250);
}

ProgressLine::ProgressLine(bool enabled, std::size_t total)
    : enabled_(enabled), total_(total), start_(std::chrono::steady_clock::now()), last_(start_) {}

void ProgressLine::update(std::size_t done, std::size_t bytes) {
  if (!enabled_ || std::chrono::steady_clock::now() - last_ < kInterval) return;
  print(done, bytes);
}

void ProgressLine::finish(std::size_t done, std::size_t bytes) {
  if (!enabled_) return;
  print(done, bytes);
  std::fputc('\n', stderr);
}

void ProgressLine::print(std::size_t done, std::size_t bytes) {
  last_ = std::chrono::steady_clock::now();
  const double seconds = std::chrono::duration<double>(last_ - start_).count();
  std::fprintf(stderr, "\r  %zu/%zu images, %.1f MB, %.0f images/s   ", done, total_, static_cast<double>(bytes) / 1e6,
               seconds > 0 ? static_cast<double>(done) / seconds : 0.0);
  std::fflush(stderr);
}

}  // namespace pose
