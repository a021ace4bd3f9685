// CPU reference of the joints MSE loss with target weights (docs/reference_behaviour.md section 4). pred may
// carry padding channels beyond the target's J joints; they add nothing to the loss and get a
// zero gradient.
#include <algorithm>
#include <cstdint>

#include "kernels/layer_op_signatures.h"

namespace pose::cpu_ops {

void mse_loss_forward(const DeviceContext&, const TensorView& loss, const TensorView& pred,
                      const TensorView& target, const TensorView& weight) {
  const std::int64_t n_images = pred.shape[0], pixels = pred.shape[1] * pred.shape[2];
  const std::int64_t pred_channels = pred.shape[3], joints = target.shape[3];
  const float* p = pred.as<const float>();
  const float* t = target.as<const float>();
  const float* wt = weight.as<const float>();
  double sum = 0.0;  // up to N*64*48*17 terms: double keeps the reference exact enough
  for (std::int64_t n = 0; n < n_images; ++n)
    for (std::int64_t i = 0; i < pixels; ++i) {
      const std::int64_t pixel = n * pixels + i;
      for (std::int64_t j = 0; j < joints; ++j) {
        const double d = double{wt[n * joints + j]} *
                         (double{p[pixel * pred_channels + j]} - t[pixel * joints + j]);
        sum += d * d;
      }
    }
  const double count = static_cast<double>(n_images * pixels * joints);
  loss.as<float>()[0] = static_cast<float>(count > 0 ? 0.5 * sum / count : 0.0);
}

void mse_loss_backward(const DeviceContext&, const TensorView& dpred, const TensorView& pred,
                       const TensorView& target, const TensorView& weight, const TensorView& loss_scale) {
  const std::int64_t n_images = pred.shape[0], pixels = pred.shape[1] * pred.shape[2];
  const std::int64_t pred_channels = pred.shape[3], joints = target.shape[3];
  const float* p = pred.as<const float>();
  const float* t = target.as<const float>();
  const float* wt = weight.as<const float>();
  float* dp = dpred.as<float>();
  const double factor = double{loss_scale.as<const float>()[0]} / static_cast<double>(n_images * pixels * joints);
  for (std::int64_t n = 0; n < n_images; ++n)
    for (std::int64_t i = 0; i < pixels; ++i) {
      const std::int64_t pixel = n * pixels + i;
      float* row = dp + pixel * pred_channels;
      for (std::int64_t j = 0; j < joints; ++j) {
        const double w = wt[n * joints + j];
        row[j] = static_cast<float>(factor * w * w *
                                    (double{p[pixel * pred_channels + j]} - t[pixel * joints + j]));
      }
      std::fill(row + joints, row + pred_channels, 0.0f);
    }
}

}  // namespace pose::cpu_ops
