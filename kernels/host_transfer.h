// Copies between a tensor on any device, in f32 or f16, and f32 values on the host: for
// checkpoints, logs, evaluation and tests. Synchronous (waits for the context's stream).
#pragma once

#include <vector>

#include "core/device_context.h"
#include "core/tensor.h"

namespace pose {

// t's values as f32 (f16 is widened on its device first).
std::vector<float> to_host_floats(const DeviceContext& ctx, const TensorView& t);

// t = values (rounded to f16 on the device when t is f16); values.size() == t.numel().
void from_host_floats(const DeviceContext& ctx, const TensorView& t, const std::vector<float>& values);

}  // namespace pose
