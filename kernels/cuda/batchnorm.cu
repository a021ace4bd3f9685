// CUDA batch normalisation over N,H,W per channel of NHWC tensors: own kernels, not cuDNN.
// x, y, dx, dy are f32 or f16; parameters, statistics and all accumulation are f32.
//
// Training forward: batch moments in two levels (channel_tiles.cuh): every thread keeps Welford
// moments (count, mean, sum of squared deviations) of its rows, which blocks and then one thread
// per channel merge with Chan's formula. Unlike sum and sum of squares, this does not cancel
// when a channel's mean is large against its spread. The merges run in a fixed order, so the
// statistics are deterministic.
#include <cstdint>

#include "core/cuda/checks.h"
#include "kernels/cuda/channel_tiles.cuh"
#include "kernels/cuda/device_scratch.h"
#include "kernels/cuda/half_io.cuh"
#include "kernels/layer_op_signatures.h"

namespace pose::cuda_ops {
namespace {

// ---- kernels ------------------------------------------------------------------------------

// Welford moments of `count` values. A plain aggregate: it lives in __shared__ memory.
struct Moments {
  float count;
  float mean;
  float m2;  // sum of squared deviations from the mean
};

// a <- moments of the union of a's and b's values (Chan et al.).
__device__ __forceinline__ void merge(Moments& a, const Moments& b) {
  if (b.count == 0.0f) return;
  const float count = a.count + b.count;
  const float delta = b.mean - a.mean;
  const float b_share = b.count / count;
  a.mean += delta * b_share;
  a.m2 += b.m2 + delta * delta * a.count * b_share;
  a.count = count;
}

// Level 1: moments of each channel over the block's rows. partials: [3][gridDim.y][channels]
// holding count, mean, m2. Counts are exact in f32 up to 2^24 rows per channel.
template <typename T>
__global__ void moments_partial_kernel(const T* x, std::int64_t rows, int channels,
                                       float* partials) {
  const int c = tiles::channel();
  Moments m{0.0f, 0.0f, 0.0f};
  if (c < channels)
    for (std::int64_t r = tiles::first_row(); r < rows; r += tiles::row_stride()) {
      const float v = to_float(x[r * channels + c]);
      m.count += 1.0f;
      const float delta = v - m.mean;
      m.mean += delta / m.count;
      m.m2 += delta * (v - m.mean);
    }
  __shared__ Moments shared[tiles::kRows][tiles::kChannels];
  shared[threadIdx.y][threadIdx.x] = m;
  __syncthreads();
  if (threadIdx.y != 0 || c >= channels) return;
  for (int i = 1; i < tiles::kRows; ++i) merge(m, shared[i][threadIdx.x]);
  const std::int64_t plane = static_cast<std::int64_t>(gridDim.y) * channels;
  const std::int64_t at = static_cast<std::int64_t>(blockIdx.y) * channels + c;
  partials[at] = m.count;
  partials[plane + at] = m.mean;
  partials[2 * plane + at] = m.m2;
}

// Level 2, one thread per channel: merge the row blocks' moments, save mean and invstd, update
// the running statistics (unbiased variance; the front end guarantees more than one row).
__global__ void moments_finalize_kernel(int channels, int row_blocks, const float* partials,
                                        float momentum, float eps, float* save_mean,
                                        float* save_invstd, float* running_mean,
                                        float* running_var) {
  const int c = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  if (c >= channels) return;
  const std::int64_t plane = static_cast<std::int64_t>(row_blocks) * channels;
  Moments m{0.0f, 0.0f, 0.0f};
  for (int b = 0; b < row_blocks; ++b) {
    const std::int64_t at = static_cast<std::int64_t>(b) * channels + c;
    merge(m, Moments{partials[at], partials[plane + at], partials[2 * plane + at]});
  }
  const float invstd = 1.0f / sqrtf(m.m2 / m.count + eps);
  save_mean[c] = m.mean;
  save_invstd[c] = invstd;
  const float unbiased = m.m2 / (m.count - 1.0f);
  running_mean[c] = (1.0f - momentum) * running_mean[c] + momentum * m.mean;
  running_var[c] = (1.0f - momentum) * running_var[c] + momentum * unbiased;
}

// Where the normalising statistics come from: the batch (training) or the running estimates
// (inference).
struct BatchStats {
  const float* mean;
  const float* invstd;
  __device__ float invstd_of(int c) const { return invstd[c]; }
};
struct RunningStats {
  const float* mean;
  const float* var;
  float eps;
  __device__ float invstd_of(int c) const { return 1.0f / sqrtf(var[c] + eps); }
};

// y = gamma * (x - mean) * invstd + beta. y may alias x.
template <typename T, typename Stats>
__global__ void normalize_kernel(T* y, const T* x, std::int64_t rows, int channels,
                                 const float* gamma, const float* beta, Stats stats) {
  const int c = tiles::channel();
  if (c >= channels) return;
  const float mean = stats.mean[c];
  const float scale = gamma[c] * stats.invstd_of(c);
  const float shift = beta[c];
  for (std::int64_t r = tiles::first_row(); r < rows; r += tiles::row_stride()) {
    const std::int64_t i = r * channels + c;
    y[i] = from_float<T>((to_float(x[i]) - mean) * scale + shift);
  }
}

// Backward sums per channel: term 0 is dy (dbeta), term 1 is dy * xhat (dgamma).
template <typename T>
struct BackwardTerms {
  static constexpr int kCount = 2;
  const T* dy;
  const T* x;
  const float* mean;
  const float* invstd;

  struct PerChannel {
    const T* dy;
    const T* x;
    float mean, invstd;
    __device__ void add(std::int64_t i, float (&acc)[kCount]) const {
      const float g = to_float(dy[i]);
      acc[0] += g;
      acc[1] += g * ((to_float(x[i]) - mean) * invstd);
    }
  };
  __device__ PerChannel for_channel(int c) const { return {dy, x, mean[c], invstd[c]}; }
};

// dx = gamma * invstd * (dy - dbeta / M - xhat * dgamma / M) over M rows. dx may alias dy.
template <typename T>
__global__ void backward_dx_kernel(T* dx, const T* dy, const T* x, std::int64_t rows,
                                   int channels, const float* gamma, const float* mean,
                                   const float* invstd, const float* dgamma, const float* dbeta) {
  const int c = tiles::channel();
  if (c >= channels) return;
  const float m = mean[c];
  const float is = invstd[c];
  const float k = gamma[c] * is;
  const float inv_rows = 1.0f / static_cast<float>(rows);
  const float mean_dy = dbeta[c] * inv_rows;
  const float mean_dy_xhat = dgamma[c] * inv_rows;
  for (std::int64_t r = tiles::first_row(); r < rows; r += tiles::row_stride()) {
    const std::int64_t i = r * channels + c;
    const float xhat = (to_float(x[i]) - m) * is;
    dx[i] = from_float<T>(k * (to_float(dy[i]) - mean_dy - xhat * mean_dy_xhat));
  }
}

// ---- launchers ----------------------------------------------------------------------------

template <typename T, typename Stats>
void normalize(const DeviceContext& ctx, const TensorView& y, const TensorView& x,
               const TensorView& gamma, const TensorView& beta, Stats stats) {
  const std::int64_t rows = tiles::rows_of(x);
  const int channels = tiles::channels_of(x);
  normalize_kernel<T><<<tiles::grid(rows, channels, tiles::kApplyBlocks), tiles::block(), 0,
                        ctx.stream()>>>(y.as<T>(), x.as<const T>(), rows, channels,
                                        gamma.as<const float>(), beta.as<const float>(), stats);
  POSE_CUDA_CHECK_LAUNCH();
}

}  // namespace

void batchnorm_forward_training(const DeviceContext& ctx, const TensorView& y,
                                const TensorView& x, const TensorView& gamma,
                                const TensorView& beta, const TensorView& running_mean,
                                const TensorView& running_var, const TensorView& save_mean,
                                const TensorView& save_invstd, float momentum, float eps) {
  if (tiles::channels_of(x) == 0) return;
  const std::int64_t rows = tiles::rows_of(x);
  const int channels = tiles::channels_of(x);
  with_element_type(x.dtype, [&](auto t) {
    using T = decltype(t);
    const dim3 g = tiles::grid(rows, channels, tiles::kReduceBlocks);
    auto* partials = static_cast<float*>(
        device_scratch(ctx, sizeof(float) * 3 * g.y * static_cast<std::size_t>(channels)));
    moments_partial_kernel<T><<<g, tiles::block(), 0, ctx.stream()>>>(x.as<const T>(), rows,
                                                                       channels, partials);
    POSE_CUDA_CHECK_LAUNCH();
    moments_finalize_kernel<<<tiles::channel_blocks(channels), tiles::kChannelBlock, 0,
                              ctx.stream()>>>(
        channels, static_cast<int>(g.y), partials, momentum, eps, save_mean.as<float>(),
        save_invstd.as<float>(), running_mean.as<float>(), running_var.as<float>());
    POSE_CUDA_CHECK_LAUNCH();
    normalize<T>(ctx, y, x, gamma, beta,
                 BatchStats{save_mean.as<const float>(), save_invstd.as<const float>()});
  });
}

void batchnorm_forward_inference(const DeviceContext& ctx, const TensorView& y,
                                 const TensorView& x, const TensorView& gamma,
                                 const TensorView& beta, const TensorView& running_mean,
                                 const TensorView& running_var, float eps) {
  if (tiles::channels_of(x) == 0) return;
  with_element_type(x.dtype, [&](auto t) {
    normalize<decltype(t)>(
        ctx, y, x, gamma, beta,
        RunningStats{running_mean.as<const float>(), running_var.as<const float>(), eps});
  });
}

void batchnorm_backward(const DeviceContext& ctx, const TensorView& dx, const TensorView& dgamma,
                        const TensorView& dbeta, const TensorView& dy, const TensorView& x,
                        const TensorView& gamma, const TensorView& save_mean,
                        const TensorView& save_invstd) {
  if (tiles::channels_of(x) == 0) return;
  const std::int64_t rows = tiles::rows_of(x);
  const int channels = tiles::channels_of(x);
  with_element_type(x.dtype, [&](auto t) {
    using T = decltype(t);
    tiles::channel_sums(ctx, rows, channels,
                        BackwardTerms<T>{dy.as<const T>(), x.as<const T>(),
                                         save_mean.as<const float>(),
                                         save_invstd.as<const float>()},
                        tiles::SumOutputs<2>{{dbeta.as<float>(), dgamma.as<float>()}});
    backward_dx_kernel<T><<<tiles::grid(rows, channels, tiles::kApplyBlocks), tiles::block(), 0,
                            ctx.stream()>>>(
        dx.as<T>(), dy.as<const T>(), x.as<const T>(), rows, channels, gamma.as<const float>(),
        save_mean.as<const float>(), save_invstd.as<const float>(), dgamma.as<const float>(),
        dbeta.as<const float>());
    POSE_CUDA_CHECK_LAUNCH();
  });
}

}  // namespace pose::cuda_ops
