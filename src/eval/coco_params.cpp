#include "eval/coco_params.h"

#include <cstddef>

namespace pose::coco {

namespace {

// numpy's linspace with endpoint: start + i * ((stop - start) / (n - 1)), the last value
// replaced by stop itself.
template <std::size_t N>
std::array<double, N> linspace(double start, double stop) {
  static_assert(N > 1);
  std::array<double, N> values{};
  const double step = (stop - start) / static_cast<double>(N - 1);
  for (std::size_t i = 0; i < N; ++i) values[i] = static_cast<double>(i) * step + start;
  values[N - 1] = stop;
  return values;
}

}  // namespace

const std::array<double, kThresholdCount>& oks_thresholds() {
  static const auto values = linspace<kThresholdCount>(0.5, 0.95);
  return values;
}

const std::array<double, kRecallPointCount>& recall_points() {
  static const auto values = linspace<kRecallPointCount>(0.0, 1.0);
  return values;
}

}  // namespace pose::coco
