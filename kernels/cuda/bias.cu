// CUDA per-channel bias of NHWC tensors: y += bias in place, and its gradient, the per-channel
// sum of dy over N*H*W (a deterministic two-level reduction, channel_tiles.cuh). y and dy are
// f32 or f16; bias and dbias are f32.
#include <cstdint>

#include "core/cuda/checks.h"
#include "kernels/cuda/channel_tiles.cuh"
#include "kernels/cuda/half_io.cuh"
#include "kernels/layer_op_signatures.h"

namespace pose::cuda_ops {
namespace {

// ---- kernels ------------------------------------------------------------------------------

template <typename T>
__global__ void bias_add_kernel(T* y, const float* bias, std::int64_t rows, int channels) {
  const int c = tiles::channel();
  if (c >= channels) return;
  const float b = bias[c];
  for (std::int64_t r = tiles::first_row(); r < rows; r += tiles::row_stride()) {
    const std::int64_t i = r * channels + c;
    y[i] = from_float<T>(to_float(y[i]) + b);
  }
}

// The one term of the bias gradient: dy itself.
template <typename T>
struct BiasTerms {
  static constexpr int kCount = 1;
  const T* dy;

  struct PerChannel {
    const T* dy;
    __device__ void add(std::int64_t i, float (&acc)[kCount]) const { acc[0] += to_float(dy[i]); }
  };
  __device__ PerChannel for_channel(int) const { return {dy}; }
};

}  // namespace

// ---- launchers ----------------------------------------------------------------------------

void bias_add(const DeviceContext& ctx, const TensorView& y, const TensorView& bias) {
  if (y.numel() == 0) return;
  const std::int64_t rows = tiles::rows_of(y);
  const int channels = tiles::channels_of(y);
  with_element_type(y.dtype, [&](auto t) {
    using T = decltype(t);
    bias_add_kernel<T><<<tiles::grid(rows, channels, tiles::kApplyBlocks), tiles::block(), 0,
                         ctx.stream()>>>(y.as<T>(), bias.as<const float>(), rows, channels);
    POSE_CUDA_CHECK_LAUNCH();
  });
}

void bias_backward(const DeviceContext& ctx, const TensorView& dbias, const TensorView& dy) {
  if (dbias.numel() == 0) return;  // with no rows the sums are zero, and still written
  with_element_type(dy.dtype, [&](auto t) {
    using T = decltype(t);
    tiles::channel_sums(ctx, tiles::rows_of(dy), tiles::channels_of(dy),
                        BiasTerms<T>{dy.as<const T>()}, tiles::SumOutputs<1>{{dbias.as<float>()}});
  });
}

}  // namespace pose::cuda_ops
