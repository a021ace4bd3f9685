#include "eval/numpy_sum.h"

namespace pose {

double numpy_sum(const double* values, std::size_t count) {
  constexpr std::size_t kLanes = 8, kBlock = 128;
  if (count < kLanes) {
    double sum = 0.0;
    for (std::size_t i = 0; i < count; ++i) sum += values[i];
    return sum;
  }
  if (count <= kBlock) {
    double lane[kLanes];
    for (std::size_t j = 0; j < kLanes; ++j) lane[j] = values[j];
    std::size_t i = kLanes;
    for (; i < count - count % kLanes; i += kLanes)
      for (std::size_t j = 0; j < kLanes; ++j) lane[j] += values[i + j];
    double sum = ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
    for (; i < count; ++i) sum += values[i];
    return sum;
  }
  std::size_t half = count / 2;
  half -= half % kLanes;
  return numpy_sum(values, half) + numpy_sum(values + half, count - half);
}

}  // namespace pose
