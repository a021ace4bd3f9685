// CUDA joints MSE loss with target weights (docs/reference_behaviour.md section 4) over the first J channels of
// pred {N,h,w,Cp} (f32 or f16); channels J..Cp-1 are padding. target, weight and loss are f32.
//
// The forward writes the loss on the device (no host synchronisation) through a deterministic
// two-level sum: a fixed number of blocks (set by the shape only) each write one partial, then
// one block adds the partials in a fixed tree order. No atomics, so the loss is bit-identical
// from run to run.
//
// Blocks are kJointThreads x kPixelThreads threads: threadIdx.y picks a pixel, threadIdx.x loops
// over its channels, so a warp reads consecutive channels of one pixel.
#include <algorithm>
#include <cstdint>

#include "core/cuda/checks.h"
#include "kernels/cuda/device_scratch.h"
#include "kernels/cuda/half_io.cuh"
#include "kernels/layer_op_signatures.h"

namespace pose::cuda_ops {
namespace {

constexpr int kJointThreads = 32;
constexpr int kPixelThreads = 8;
constexpr int kBlockThreads = kJointThreads * kPixelThreads;  // a power of two for the tree
constexpr std::int64_t kMaxPartials = kBlockThreads;  // the final block adds one per thread
constexpr std::int64_t kMaxGradientBlocks = 132 * 16;

struct LossShape {
  std::int64_t pixels;            // N*h*w
  std::int64_t pixels_per_image;  // h*w
  int pred_channels;              // Cp
  int joints;                     // J
};

// ---- kernels ------------------------------------------------------------------------------

// Sum of the block's kBlockThreads values of `shared` (ends in shared[0]); all threads call it.
__device__ void block_tree_sum(float* shared, int tid) {
  __syncthreads();
  for (int half = kBlockThreads / 2; half > 0; half /= 2) {
    if (tid < half) shared[tid] += shared[tid + half];
    __syncthreads();
  }
}

__device__ __forceinline__ std::int64_t first_pixel() {
  return static_cast<std::int64_t>(blockIdx.x) * kPixelThreads + threadIdx.y;
}
__device__ __forceinline__ std::int64_t pixel_stride() {
  return static_cast<std::int64_t>(gridDim.x) * kPixelThreads;
}

// partials[blockIdx.x] = sum over the block's pixels and joints of (w * (pred - target))^2.
template <typename T>
__global__ void loss_partial_kernel(const T* pred, const float* target, const float* weight,
                                    LossShape s, float* partials) {
  float acc = 0.0f;
  for (std::int64_t p = first_pixel(); p < s.pixels; p += pixel_stride()) {
    const float* w = weight + p / s.pixels_per_image * s.joints;
    for (int j = static_cast<int>(threadIdx.x); j < s.joints; j += kJointThreads) {
      const float d = w[j] * (to_float(pred[p * s.pred_channels + j]) - target[p * s.joints + j]);
      acc += d * d;
    }
  }
  __shared__ float shared[kBlockThreads];
  const int tid = static_cast<int>(threadIdx.y * kJointThreads + threadIdx.x);
  shared[tid] = acc;
  block_tree_sum(shared, tid);
  if (tid == 0) partials[blockIdx.x] = shared[0];
}

// loss = scale * sum of the `count` partials; one block of kBlockThreads threads.
__global__ void loss_final_kernel(const float* partials, int count, float scale, float* loss) {
  __shared__ float shared[kBlockThreads];
  const int tid = static_cast<int>(threadIdx.x);
  shared[tid] = tid < count ? partials[tid] : 0.0f;
  block_tree_sum(shared, tid);
  if (tid == 0) loss[0] = shared[0] * scale;
}

// dpred = loss_scale * w^2 * (pred - target) / terms on joint channels, 0 on padding channels.
// The loss scale is read on the device: the optimiser updates it there, between steps.
template <typename T>
__global__ void loss_gradient_kernel(T* dpred, const T* pred, const float* target,
                                     const float* weight, LossShape s, const float* loss_scale,
                                     float inv_terms) {
  const float factor = loss_scale[0] * inv_terms;
  for (std::int64_t p = first_pixel(); p < s.pixels; p += pixel_stride()) {
    const float* w = weight + p / s.pixels_per_image * s.joints;
    for (int c = static_cast<int>(threadIdx.x); c < s.pred_channels; c += kJointThreads) {
      const std::int64_t i = p * s.pred_channels + c;
      float grad = 0.0f;
      if (c < s.joints)
        grad = factor * w[c] * w[c] * (to_float(pred[i]) - target[p * s.joints + c]);
      dpred[i] = from_float<T>(grad);
    }
  }
}

// ---- launchers ----------------------------------------------------------------------------

LossShape loss_shape(const TensorView& pred, const TensorView& target) {
  return {pred.shape[0] * pred.shape[1] * pred.shape[2], pred.shape[1] * pred.shape[2],
          static_cast<int>(pred.shape[3]), static_cast<int>(target.shape[3])};
}

// Blocks for `pixels` pixel rows, at most `limit`, at least one.
unsigned pixel_blocks(std::int64_t pixels, std::int64_t limit) {
  return static_cast<unsigned>(
      std::clamp<std::int64_t>((pixels + kPixelThreads - 1) / kPixelThreads, 1, limit));
}

const dim3 kBlock(kJointThreads, kPixelThreads);

}  // namespace

void mse_loss_forward(const DeviceContext& ctx, const TensorView& loss, const TensorView& pred,
                      const TensorView& target, const TensorView& weight) {
  const LossShape s = loss_shape(pred, target);
  const std::int64_t terms = s.pixels * s.joints;
  // The mean over no terms is 0, as on the CPU.
  const float scale = terms > 0 ? static_cast<float>(0.5 / static_cast<double>(terms)) : 0.0f;
  const unsigned blocks = pixel_blocks(s.pixels, kMaxPartials);
  auto* partials = static_cast<float*>(device_scratch(ctx, sizeof(float) * blocks));
  with_element_type(pred.dtype, [&](auto t) {
    using T = decltype(t);
    loss_partial_kernel<T><<<blocks, kBlock, 0, ctx.stream()>>>(
        pred.as<const T>(), target.as<const float>(), weight.as<const float>(), s, partials);
    POSE_CUDA_CHECK_LAUNCH();
  });
  loss_final_kernel<<<1, kBlockThreads, 0, ctx.stream()>>>(partials, static_cast<int>(blocks),
                                                           scale, loss.as<float>());
  POSE_CUDA_CHECK_LAUNCH();
}

void mse_loss_backward(const DeviceContext& ctx, const TensorView& dpred, const TensorView& pred,
                       const TensorView& target, const TensorView& weight,
                       const TensorView& loss_scale) {
  const LossShape s = loss_shape(pred, target);
  if (dpred.numel() == 0) return;
  const auto inv_terms = static_cast<float>(1.0 / static_cast<double>(s.pixels * s.joints));
  with_element_type(pred.dtype, [&](auto t) {
    using T = decltype(t);
    loss_gradient_kernel<T><<<pixel_blocks(s.pixels, kMaxGradientBlocks), kBlock, 0,
                              ctx.stream()>>>(dpred.as<T>(), pred.as<const T>(),
                                              target.as<const float>(), weight.as<const float>(),
                                              s, loss_scale.as<const float>(), inv_terms);
    POSE_CUDA_CHECK_LAUNCH();
  });
}

}  // namespace pose::cuda_ops
