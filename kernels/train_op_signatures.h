// The optimiser's ops, declared once for both backends (pose::cpu_ops, pose::cuda_ops) and the
// checked front end (pose::ops, kernels/train_ops.cpp), like op_signatures.h.
//
// A training step keeps its control values on the device so it never waits for the host:
// `state` is an f32 {4} tensor [loss_scale, found_nonfinite, adam_step, clean_steps]:
//   loss_scale       the factor the loss gradient was multiplied by (1 without fp16 scaling)
//   found_nonfinite  0, or 1 once a checked gradient held an inf or NaN this step
//   adam_step        Adam updates applied so far (skipped steps do not count)
//   clean_steps      steps since the loss scale last changed
#pragma once

#include "core/device_context.h"
#include "core/tensor.h"

namespace pose {

struct AdamSettings {
  float lr = 1e-3f;
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float eps = 1e-8f;
  float weight_decay = 0.0f;  // L2 term added to the gradient (PyTorch Adam's weight_decay)
  float grad_divisor = 1.0f;  // the gradients are sums over this many ranks
};

// Indices into the state tensor.
enum StepState { kLossScale = 0, kFoundNonfinite = 1, kAdamStep = 2, kCleanSteps = 3 };

}  // namespace pose

#define POSE_TRAIN_OP_SIGNATURES                                                              \
  /* state[found_nonfinite] = 1 if any element of values (f32) is inf or NaN; else unchanged */ \
  void find_nonfinite(const DeviceContext& ctx, const TensorView& state,                     \
                      const TensorView& values);                                             \
  /* Unless state[found_nonfinite]: g = grad / (loss_scale * grad_divisor) + wd * master;     \
     t = adam_step + 1; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;                          \
     master -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps). All f32, same size. */  \
  void adam_update(const DeviceContext& ctx, const TensorView& master, const TensorView& m,   \
                   const TensorView& v, const TensorView& grad, const TensorView& state,     \
                   AdamSettings settings);                                                   \
  /* After adam_update. On a nonfinite step: loss_scale /= 2 (when growth_interval > 0),      \
     clean_steps = 0. Otherwise adam_step += 1 and clean_steps += 1; when growth_interval > 0 \
     and clean_steps reaches it, loss_scale *= 2 and clean_steps = 0. Then found_nonfinite = 0.\
     growth_interval 0 keeps the scale fixed (fp32 training). */                             \
  void update_step_state(const DeviceContext& ctx, const TensorView& state,                  \
                         int growth_interval);

namespace pose::cpu_ops {
POSE_TRAIN_OP_SIGNATURES
}  // namespace pose::cpu_ops

#if POSE_WITH_CUDA
namespace pose::cuda_ops {
POSE_TRAIN_OP_SIGNATURES
}  // namespace pose::cuda_ops
#endif

namespace pose::ops {
POSE_TRAIN_OP_SIGNATURES
}  // namespace pose::ops
