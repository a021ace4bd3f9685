// The device a test program built twice runs on: the CPU, or (compiled with POSE_TEST_ON_GPU=1,
// the gpu-labelled twin) GPU 0; nullopt when that GPU is not visible, so the test skips.
#pragma once

#include <optional>

#include "core/device_context.h"

namespace pose::test {

inline std::optional<DeviceContext> device_under_test() {
#if POSE_TEST_ON_GPU
  if (cuda_device_count() == 0) return std::nullopt;
  return DeviceContext::cuda(0);
#else
  return DeviceContext::cpu();
#endif
}

}  // namespace pose::test
