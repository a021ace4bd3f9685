// A one-line progress display on stderr ("1200/5000 images, 190.3 MB, 850 images/s"),
// rewritten in place at most four times a second so that printing never costs throughput.
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
  std::size_t total_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace pose
