// A one-line progress display on stderr ("1200/5000 images, 190.3 MB, 850 images/s, ETA 4s"),
// rewritten in place (with '\r') at most four times a second so that printing never costs
// throughput. Only a terminal gets the rewritten line; a log file or pipe gets the final line
// alone, instead of thousands of '\r'-joined updates.
#pragma once

#include <chrono>
#include <cstddef>

namespace pose {

class ProgressLine {
 public:
  ProgressLine(bool enabled, std::size_t total);
  void update(std::size_t done, std::size_t bytes);
  // The final state, ending the line.
  void finish(std::size_t done, std::size_t bytes);

 private:
  void print(std::size_t done, std::size_t bytes);

  bool enabled_;
  bool terminal_;  // stderr is a terminal
  std::size_t total_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace pose
