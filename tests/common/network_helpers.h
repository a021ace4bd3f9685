// Test helpers for whole networks: a PoseResNet small enough for a CPU test, and the
// norm-wise relative error the network comparisons use.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "model/pose_resnet_spec.h"

namespace pose::test {

// ResNet-18 with 4 channels in the first stage, 64x32 input, a head of 8 filters.
inline PoseResNetSpec tiny_spec() {
  PoseResNetSpec spec;
  spec.depth = 18;
  spec.base_width = 4;
  spec.input_height = 64;
  spec.input_width = 32;
  spec.deconv_filters = {8, 8, 8};
  return spec;
}

// ||got - want|| / ||want||.
inline double relative_error(const std::vector<float>& got, const std::vector<float>& want) {
  double diff = 0, norm = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    diff += (double(got[i]) - want[i]) * (double(got[i]) - want[i]);
    norm += double(want[i]) * want[i];
  }
  return std::sqrt(diff) / std::max(std::sqrt(norm), 1e-30);
}

}  // namespace pose::test
