#include "data/progress_line.h"

#include <unistd.h>

#include <cstdio>
#include <string>

#include "core/duration_text.h"

namespace pose {

namespace {
constexpr std::chrono::milliseconds kInterval(250);
}  // namespace

ProgressLine::ProgressLine(bool enabled, std::size_t total)
    : enabled_(enabled),
      terminal_(isatty(fileno(stderr)) == 1),
      total_(total),
      start_(std::chrono::steady_clock::now()),
      last_(start_ - kInterval) {}  // the first update shows at once

void ProgressLine::update(std::size_t done, std::size_t bytes) {
  if (!enabled_ || !terminal_ || std::chrono::steady_clock::now() - last_ < kInterval) return;
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
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  const std::string eta = done < total_ && rate > 0
                              ? ", ETA " + format_duration(static_cast<double>(total_ - done) / rate)
                              : std::string();
  std::fprintf(stderr, "%s  %zu/%zu images, %.1f MB, %.0f images/s%s   ", terminal_ ? "\r" : "", done, total_,
               static_cast<double>(bytes) / 1e6, rate, eta.c_str());
  std::fflush(stderr);
}

}  // namespace pose
