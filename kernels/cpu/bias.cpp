// CPU reference of the per-channel bias (f32, NHWC: channels are the innermost axis).
#include <cstdint>
#include <vector>

#include "kernels/layer_op_signatures.h"

namespace pose::cpu_ops {

void bias_add(const DeviceContext&, const TensorView& y, const TensorView& bias) {
  const std::int64_t channels = bias.numel();
  const float* b = bias.as<const float>();
  float* row = y.as<float>();
  for (std::int64_t i = 0, end = y.numel(); i < end; i += channels, row += channels)
    for (std::int64_t c = 0; c < channels; ++c) row[c] += b[c];
}

void bias_backward(const DeviceContext&, const TensorView& dbias, const TensorView& dy) {
  // Sums run over N*H*W values per channel; double keeps them exact enough to serve as the
  // reference the GPU's reductions are compared with.
  const std::int64_t channels = dbias.numel();
  std::vector<double> sum(static_cast<std::size_t>(channels), 0.0);
  const float* row = dy.as<const float>();
  for (std::int64_t i = 0, end = dy.numel(); i < end; i += channels, row += channels)
    for (std::int64_t c = 0; c < channels; ++c) sum[c] += row[c];
  float* db = dbias.as<float>();
  for (std::int64_t c = 0; c < channels; ++c) db[c] = static_cast<float>(sum[c]);
}

}  // namespace pose::cpu_ops
