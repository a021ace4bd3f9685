#include "data/progress_line.h"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace pose {

namespace {
constexpr std::chrono::milliseconds kInterval(250);

// "1h02m", "3m05s", "42s".
std::string duration_text(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char text[32];
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, s % 3600 / 60);
  else if (s >= 60)
    std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(text, sizeof text, "%lds", s);
  return text;
}
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
                              ? ", ETA " + duration_text(static_cast<double>(total_ - done) / rate)
                              : std::string();
  std::fprintf(stderr, "%s  %zu/%zu images, %.1f MB, %.0f images/s%s   ", terminal_ ? "\r" : "", done, total_,
               static_cast<double>(bytes) / 1e6, rate, eta.c_str());
  std::fflush(stderr);
}

}  // namespace pose
