// CUDA optimiser ops (kernels/train_op_signatures.h): one fused Adam kernel over the flat
// parameter buffer, a nonfinite scan and the loss-scale bookkeeping, all reading the step
// state on the device so a training step never waits for the host.
#include <cuda_runtime.h>

#include <cstdint>

#include "core/cuda/checks.h"
#include "kernels/train_op_signatures.h"

namespace pose::cuda_ops {
namespace {

// ---- kernels ------------------------------------------------------------------------------

__global__ void find_nonfinite_kernel(std::int64_t n, const float* values, float* state) {
  const std::int64_t stride = static_cast<std::int64_t>(gridDim.x) * blockDim.x;
  bool bad = false;
  for (std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x; i < n; i += stride)
    bad |= !isfinite(values[i]);
  // Racing writes all store the same value, so no atomic is needed.
  if (__syncthreads_or(bad) && threadIdx.x == 0) state[kFoundNonfinite] = 1.0f;
}

__global__ void adam_kernel(std::int64_t n, float* master, float* m, float* v, const float* grad,
                            const float* state, AdamSettings s) {
  if (state[kFoundNonfinite] != 0.0f) return;
  const float grad_factor = 1.0f / (state[kLossScale] * s.grad_divisor);
  // The bias corrections, once per block rather than per thread (two pows in double).
  __shared__ float corrections[2];
  if (threadIdx.x == 0) {
    const double t = static_cast<double>(state[kAdamStep] + 1.0f);
    corrections[0] = static_cast<float>(1.0 - pow(static_cast<double>(s.beta1), t));
    corrections[1] = static_cast<float>(1.0 - pow(static_cast<double>(s.beta2), t));
  }
  __syncthreads();
  const float c1 = corrections[0], c2 = corrections[1];
  const std::int64_t stride = static_cast<std::int64_t>(gridDim.x) * blockDim.x;
  for (std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x; i < n; i += stride) {
    const float g = grad[i] * grad_factor + s.weight_decay * master[i];
    const float mi = s.beta1 * m[i] + (1.0f - s.beta1) * g;
    const float vi = s.beta2 * v[i] + (1.0f - s.beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    master[i] -= s.lr * (mi / c1) / (sqrtf(vi / c2) + s.eps);
  }
}

__global__ void step_state_kernel(float* state, int growth_interval) {
  if (state[kFoundNonfinite] != 0.0f) {
    if (growth_interval > 0) state[kLossScale] *= 0.5f;
    state[kCleanSteps] = 0.0f;
  } else {
    state[kAdamStep] += 1.0f;
    state[kCleanSteps] += 1.0f;
    if (growth_interval > 0 && state[kCleanSteps] >= static_cast<float>(growth_interval)) {
      state[kLossScale] *= 2.0f;
      state[kCleanSteps] = 0.0f;
    }
  }
  state[kFoundNonfinite] = 0.0f;
}

// ---- launchers ----------------------------------------------------------------------------

constexpr int kThreads = 256;

unsigned blocks_for(std::int64_t n) {
  const std::int64_t b = (n + kThreads - 1) / kThreads;
  return static_cast<unsigned>(b < 1 ? 1 : (b > 65535 ? 65535 : b));
}

}  // namespace

void find_nonfinite(const DeviceContext& ctx, const TensorView& state, const TensorView& values) {
  if (values.numel() == 0) return;
  find_nonfinite_kernel<<<blocks_for(values.numel()), kThreads, 0, ctx.stream()>>>(
      values.numel(), values.as<float>(), state.as<float>());
  POSE_CUDA_CHECK_LAUNCH();
}

void adam_update(const DeviceContext& ctx, const TensorView& master, const TensorView& m, const TensorView& v,
                 const TensorView& grad, const TensorView& state, AdamSettings settings) {
  if (master.numel() == 0) return;
  adam_kernel<<<blocks_for(master.numel()), kThreads, 0, ctx.stream()>>>(
      master.numel(), master.as<float>(), m.as<float>(), v.as<float>(), grad.as<float>(), state.as<float>(),
      settings);
  POSE_CUDA_CHECK_LAUNCH();
}

void update_step_state(const DeviceContext& ctx, const TensorView& state, int growth_interval) {
  step_state_kernel<<<1, 1, 0, ctx.stream()>>>(state.as<float>(), growth_interval);
  POSE_CUDA_CHECK_LAUNCH();
}

}  // namespace pose::cuda_ops
