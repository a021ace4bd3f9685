// CUDA batch normalisation over N,H,W per channel of NHWC tensors: own kernels, not cuDNN.
// x, y, dx, dy are f32 or f16; parameters, statistics and all accumulation are f32.
//
// Training forward: batch moments in two levels (channel_tiles.cuh): every thread keeps Welford
// moments (count, mean, sum of squared deviations) of its rows, which blocks and then one thread
// per channel merge with Chan's formula. Unlike sum and sum of squares, this does not cancel
// when a channel's mean is large against its spread. The merges run in a fixed order, so the
// statistics are deterministic.
//
// Two kernel sets (kernels/gpu_kernels.h). simple: a block is a 32-channel x 8-row tile, one
// element per thread and iteration. vectorized/fused, where the channels allow it (a multiple of
// the 16-byte vector's lanes whose vector count divides the 256-thread block: every ResNet
// width): a thread owns one vector of consecutive channels (8 halves or 4 floats) at a fixed
// position in the row and walks the rows two at a time, so loads and stores are 16 bytes wide
// and per-channel values stay in registers; a block spans whole rows and writes one partial
// per channel, merged in block order as before. The fused ops (batchnorm_relu_*) apply the
// ReLU in the same pass, and fold its mask into the backward pass.
#include <cstdint>

#include "core/cuda/checks.h"
#include "kernels/cuda/channel_tiles.cuh"
#include "kernels/cuda/device_scratch.h"
#include "kernels/cuda/half_io.cuh"
#include "kernels/cuda/vector_io.cuh"
#include "kernels/gpu_kernels.h"
#include "kernels/layer_op_signatures.h"
#include "kernels/op_signatures.h"

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

// ---- vectorized kernels -------------------------------------------------------------------

constexpr int kVecBlock = 256;

// A thread's place in a vectorized pass: the vector `group` of consecutive channels it owns in
// every row, and the row it starts from; a block covers `block_rows` rows per iteration.
template <typename T>
struct VecPlace {
  int groups;      // vectors per row = channels / lanes
  int block_rows;  // kVecBlock / groups
  int group;
  std::int64_t row;
  std::int64_t row_stride;
  __device__ VecPlace(int channels) {
    groups = channels / kLanes<T>;
    block_rows = kVecBlock / groups;
    group = static_cast<int>(threadIdx.x) % groups;
    row = static_cast<std::int64_t>(blockIdx.x) * block_rows + static_cast<int>(threadIdx.x) / groups;
    row_stride = static_cast<std::int64_t>(gridDim.x) * block_rows;
  }
  __device__ std::int64_t vector(std::int64_t r) const { return r * groups + group; }
  __device__ int channel(int lane) const { return group * kLanes<T> + lane; }
};

// Level 1 of the training moments: partials [3][gridDim.x][channels] as moments_partial_kernel.
template <typename T>
__global__ void vec_moments_partial_kernel(const T* x, std::int64_t rows, int channels,
                                           float* partials) {
  constexpr int L = kLanes<T>;
  const VecPlace<T> at(channels);
  Moments m[L];
#pragma unroll
  for (int k = 0; k < L; ++k) m[k] = Moments{0.0f, 0.0f, 0.0f};
  float count = 0.0f;
  for (std::int64_t r = at.row; r < rows; r += at.row_stride) {
    const Vec<T> v = load_vec(x, at.vector(r));
    count += 1.0f;
    const float inv_count = 1.0f / count;  // one division per vector, not per element
#pragma unroll
    for (int k = 0; k < L; ++k) {
      const float delta = v.v[k] - m[k].mean;
      m[k].mean += delta * inv_count;
      m[k].m2 += delta * (v.v[k] - m[k].mean);
    }
  }
  // The block's rows in order: shared[block row][channel].
  __shared__ Moments shared[kVecBlock * 8];
  const int block_row = static_cast<int>(threadIdx.x) / at.groups;
#pragma unroll
  for (int k = 0; k < L; ++k) {
    m[k].count = count;
    shared[block_row * channels + at.channel(k)] = m[k];
  }
  __syncthreads();
  const std::int64_t plane = static_cast<std::int64_t>(gridDim.x) * channels;
  for (int c = static_cast<int>(threadIdx.x); c < channels; c += kVecBlock) {
    Moments total = shared[c];
    for (int i = 1; i < at.block_rows; ++i) merge(total, shared[i * channels + c]);
    const std::int64_t out = static_cast<std::int64_t>(blockIdx.x) * channels + c;
    partials[out] = total.count;
    partials[plane + out] = total.mean;
    partials[2 * plane + out] = total.m2;
  }
}

// y = [relu]((x - mean) * gamma * invstd + beta), as normalize_kernel. y may alias x.
template <typename T, typename Stats, bool kRelu>
__global__ void vec_normalize_kernel(T* y, const T* x, std::int64_t rows, int channels,
                                     const float* gamma, const float* beta, Stats stats) {
  constexpr int L = kLanes<T>;
  const VecPlace<T> at(channels);
  float mean[L], scale[L], shift[L];
#pragma unroll
  for (int k = 0; k < L; ++k) {
    const int c = at.channel(k);
    mean[k] = stats.mean[c];
    scale[k] = gamma[c] * stats.invstd_of(c);
    shift[k] = beta[c];
  }
  const auto apply = [&](Vec<T> v) {
#pragma unroll
    for (int k = 0; k < L; ++k) {
      const float out = (v.v[k] - mean[k]) * scale[k] + shift[k];
      v.v[k] = kRelu ? fmaxf(out, 0.0f) : out;
    }
    return v;
  };
  std::int64_t r = at.row;
  for (; r + at.row_stride < rows; r += 2 * at.row_stride) {  // two rows in flight
    const Vec<T> a = load_vec(x, at.vector(r)), b = load_vec(x, at.vector(r + at.row_stride));
    store_vec(y, at.vector(r), apply(a));
    store_vec(y, at.vector(r + at.row_stride), apply(b));
  }
  if (r < rows) store_vec(y, at.vector(r), apply(load_vec(x, at.vector(r))));
}

// dy as backward sees it: with the fused ReLU, zero where the ReLU's output y was not positive.
template <typename T, bool kRelu>
__device__ __forceinline__ Vec<T> masked_dy(const T* dy, const T* y, std::int64_t vector) {
  Vec<T> g = load_vec(dy, vector);
  if constexpr (kRelu) {
    const Vec<T> out = load_vec(y, vector);
#pragma unroll
    for (int k = 0; k < kLanes<T>; ++k) g.v[k] = out.v[k] > 0.0f ? g.v[k] : 0.0f;
  }
  return g;
}

// Backward sums, partials [2][gridDim.x][channels]: term 0 dy (dbeta), term 1 dy * xhat (dgamma).
template <typename T, bool kRelu>
__global__ void vec_backward_sums_kernel(const T* dy, const T* y, const T* x, std::int64_t rows,
                                         int channels, const float* save_mean,
                                         const float* save_invstd, float* partials) {
  constexpr int L = kLanes<T>;
  const VecPlace<T> at(channels);
  float mean[L], invstd[L], sum_dy[L], sum_dy_xhat[L];
#pragma unroll
  for (int k = 0; k < L; ++k) {
    mean[k] = save_mean[at.channel(k)];
    invstd[k] = save_invstd[at.channel(k)];
    sum_dy[k] = sum_dy_xhat[k] = 0.0f;
  }
  for (std::int64_t r = at.row; r < rows; r += at.row_stride) {
    const Vec<T> g = masked_dy<T, kRelu>(dy, y, at.vector(r));
    const Vec<T> v = load_vec(x, at.vector(r));
#pragma unroll
    for (int k = 0; k < L; ++k) {
      sum_dy[k] += g.v[k];
      sum_dy_xhat[k] += g.v[k] * ((v.v[k] - mean[k]) * invstd[k]);
    }
  }
  __shared__ float shared[2][kVecBlock * 8];
  const int block_row = static_cast<int>(threadIdx.x) / at.groups;
#pragma unroll
  for (int k = 0; k < L; ++k) {
    shared[0][block_row * channels + at.channel(k)] = sum_dy[k];
    shared[1][block_row * channels + at.channel(k)] = sum_dy_xhat[k];
  }
  __syncthreads();
  for (int c = static_cast<int>(threadIdx.x); c < channels; c += kVecBlock)
    for (int term = 0; term < 2; ++term) {
      float total = 0.0f;
      for (int i = 0; i < at.block_rows; ++i) total += shared[term][i * channels + c];
      partials[(static_cast<std::int64_t>(term) * gridDim.x + blockIdx.x) * channels + c] = total;
    }
}

// dx = gamma * invstd * (dy - dbeta / M - xhat * dgamma / M), dy masked by the fused ReLU.
// dx may alias dy.
template <typename T, bool kRelu>
__global__ void vec_backward_dx_kernel(T* dx, const T* dy, const T* y, const T* x, std::int64_t rows,
                                       int channels, const float* gamma, const float* save_mean,
                                       const float* save_invstd, const float* dgamma,
                                       const float* dbeta) {
  constexpr int L = kLanes<T>;
  const VecPlace<T> at(channels);
  const float inv_rows = 1.0f / static_cast<float>(rows);
  float mean[L], invstd[L], k_scale[L], mean_dy[L], mean_dy_xhat[L];
#pragma unroll
  for (int k = 0; k < L; ++k) {
    const int c = at.channel(k);
    mean[k] = save_mean[c];
    invstd[k] = save_invstd[c];
    k_scale[k] = gamma[c] * invstd[k];
    mean_dy[k] = dbeta[c] * inv_rows;
    mean_dy_xhat[k] = dgamma[c] * inv_rows;
  }
  for (std::int64_t r = at.row; r < rows; r += at.row_stride) {
    const Vec<T> g = masked_dy<T, kRelu>(dy, y, at.vector(r));
    const Vec<T> v = load_vec(x, at.vector(r));
    Vec<T> out;
#pragma unroll
    for (int k = 0; k < L; ++k) {
      const float xhat = (v.v[k] - mean[k]) * invstd[k];
      out.v[k] = k_scale[k] * (g.v[k] - mean_dy[k] - xhat * mean_dy_xhat[k]);
    }
    store_vec(dx, at.vector(r), out);
  }
}

// Whether the vectorized kernels run BN on x (and the other tensors' data): a non-simple kernel
// set, channels a multiple of the lanes with a vector count dividing the block, 16-byte aligned
// tensors.
template <typename T, typename... Ptrs>
bool vectorized_bn(const TensorView& x, const Ptrs*... ptrs) {
  if (gpu_kernels() == GpuKernels::Simple) return false;
  const int channels = tiles::channels_of(x);
  if (channels % kLanes<T> != 0) return false;
  const int groups = channels / kLanes<T>;
  return groups <= kVecBlock && kVecBlock % groups == 0 && vector_aligned(x.data, ptrs...);
}

// Row blocks of a vectorized pass: enough to reach `budget` blocks, no more than the rows fill.
template <typename T>
unsigned vec_row_blocks(std::int64_t rows, int channels, std::int64_t budget) {
  const std::int64_t block_rows = kVecBlock / (channels / kLanes<T>);
  return static_cast<unsigned>(std::clamp<std::int64_t>((rows + block_rows - 1) / block_rows, 1, budget));
}

// ---- launchers ----------------------------------------------------------------------------

// y = [relu](normalised x): the vectorized kernel where it applies, else the simple one
// followed by a separate ReLU pass.
template <typename T, typename Stats>
void normalize(const DeviceContext& ctx, const TensorView& y, const TensorView& x,
               const TensorView& gamma, const TensorView& beta, Stats stats, bool relu) {
  const std::int64_t rows = tiles::rows_of(x);
  const int channels = tiles::channels_of(x);
  if (vectorized_bn<T>(x, y.data)) {
    const unsigned blocks = vec_row_blocks<T>(rows, channels, tiles::kApplyBlocks);
    if (relu)
      vec_normalize_kernel<T, Stats, true><<<blocks, kVecBlock, 0, ctx.stream()>>>(
          y.as<T>(), x.as<const T>(), rows, channels, gamma.as<const float>(), beta.as<const float>(), stats);
    else
      vec_normalize_kernel<T, Stats, false><<<blocks, kVecBlock, 0, ctx.stream()>>>(
          y.as<T>(), x.as<const T>(), rows, channels, gamma.as<const float>(), beta.as<const float>(), stats);
    POSE_CUDA_CHECK_LAUNCH();
    return;
  }
  normalize_kernel<T><<<tiles::grid(rows, channels, tiles::kApplyBlocks), tiles::block(), 0,
                        ctx.stream()>>>(y.as<T>(), x.as<const T>(), rows, channels,
                                        gamma.as<const float>(), beta.as<const float>(), stats);
  POSE_CUDA_CHECK_LAUNCH();
  if (relu) relu_forward(ctx, y, y);
}

template <typename T>
void forward_training(const DeviceContext& ctx, const TensorView& y, const TensorView& x,
                      const TensorView& gamma, const TensorView& beta, const TensorView& running_mean,
                      const TensorView& running_var, const TensorView& save_mean,
                      const TensorView& save_invstd, float momentum, float eps, bool relu) {
  const std::int64_t rows = tiles::rows_of(x);
  const int channels = tiles::channels_of(x);
  const bool vec = vectorized_bn<T>(x);
  const unsigned row_blocks =
      vec ? vec_row_blocks<T>(rows, channels, tiles::kReduceBlocks) : tiles::grid(rows, channels, tiles::kReduceBlocks).y;
  auto* partials = static_cast<float*>(
      device_scratch(ctx, sizeof(float) * 3 * row_blocks * static_cast<std::size_t>(channels)));
  if (vec)
    vec_moments_partial_kernel<T><<<row_blocks, kVecBlock, 0, ctx.stream()>>>(x.as<const T>(), rows,
                                                                             channels, partials);
  else
    moments_partial_kernel<T><<<tiles::grid(rows, channels, tiles::kReduceBlocks), tiles::block(), 0,
                                ctx.stream()>>>(x.as<const T>(), rows, channels, partials);
  POSE_CUDA_CHECK_LAUNCH();
  moments_finalize_kernel<<<tiles::channel_blocks(channels), tiles::kChannelBlock, 0, ctx.stream()>>>(
      channels, static_cast<int>(row_blocks), partials, momentum, eps, save_mean.as<float>(),
      save_invstd.as<float>(), running_mean.as<float>(), running_var.as<float>());
  POSE_CUDA_CHECK_LAUNCH();
  normalize<T>(ctx, y, x, gamma, beta, BatchStats{save_mean.as<const float>(), save_invstd.as<const float>()},
               relu);
}

// relu_y: the fused ReLU's output, whose mask applies to dy; null for plain BN.
template <typename T>
void backward(const DeviceContext& ctx, const TensorView& dx, const TensorView& dgamma,
              const TensorView& dbeta, const TensorView& dy, const TensorView* relu_y,
              const TensorView& x, const TensorView& gamma, const TensorView& save_mean,
              const TensorView& save_invstd) {
  const std::int64_t rows = tiles::rows_of(x);
  const int channels = tiles::channels_of(x);
  if (!vectorized_bn<T>(x, dx.data, dy.data, relu_y ? relu_y->data : x.data)) {
    // Simple kernels: the ReLU mask first, into dx (same shape as dy), which BN then reads.
    const TensorView* g = &dy;
    if (relu_y) {
      relu_backward(ctx, dx, dy, *relu_y);
      g = &dx;
    }
    tiles::channel_sums(ctx, rows, channels,
                        BackwardTerms<T>{g->as<const T>(), x.as<const T>(), save_mean.as<const float>(),
                                         save_invstd.as<const float>()},
                        tiles::SumOutputs<2>{{dbeta.as<float>(), dgamma.as<float>()}});
    backward_dx_kernel<T><<<tiles::grid(rows, channels, tiles::kApplyBlocks), tiles::block(), 0,
                            ctx.stream()>>>(
        dx.as<T>(), g->as<const T>(), x.as<const T>(), rows, channels, gamma.as<const float>(),
        save_mean.as<const float>(), save_invstd.as<const float>(), dgamma.as<const float>(),
        dbeta.as<const float>());
    POSE_CUDA_CHECK_LAUNCH();
    return;
  }
  const unsigned sum_blocks = vec_row_blocks<T>(rows, channels, tiles::kReduceBlocks);
  auto* partials = static_cast<float*>(
      device_scratch(ctx, sizeof(float) * 2 * sum_blocks * static_cast<std::size_t>(channels)));
  const T* y = relu_y ? relu_y->as<const T>() : nullptr;
  const auto sums = relu_y ? vec_backward_sums_kernel<T, true> : vec_backward_sums_kernel<T, false>;
  sums<<<sum_blocks, kVecBlock, 0, ctx.stream()>>>(dy.as<const T>(), y, x.as<const T>(), rows, channels,
                                                   save_mean.as<const float>(), save_invstd.as<const float>(),
                                                   partials);
  POSE_CUDA_CHECK_LAUNCH();
  tiles::sum_partials_kernel<2><<<tiles::channel_blocks(channels), tiles::kChannelBlock, 0, ctx.stream()>>>(
      channels, static_cast<int>(sum_blocks), partials, tiles::SumOutputs<2>{{dbeta.as<float>(), dgamma.as<float>()}});
  POSE_CUDA_CHECK_LAUNCH();
  const auto dx_kernel = relu_y ? vec_backward_dx_kernel<T, true> : vec_backward_dx_kernel<T, false>;
  dx_kernel<<<vec_row_blocks<T>(rows, channels, tiles::kApplyBlocks), kVecBlock, 0, ctx.stream()>>>(
      dx.as<T>(), dy.as<const T>(), y, x.as<const T>(), rows, channels, gamma.as<const float>(),
      save_mean.as<const float>(), save_invstd.as<const float>(), dgamma.as<const float>(),
      dbeta.as<const float>());
  POSE_CUDA_CHECK_LAUNCH();
}

}  // namespace

void batchnorm_forward_training(const DeviceContext& ctx, const TensorView& y,
                                const TensorView& x, const TensorView& gamma,
                                const TensorView& beta, const TensorView& running_mean,
                                const TensorView& running_var, const TensorView& save_mean,
                                const TensorView& save_invstd, float momentum, float eps) {
  if (tiles::channels_of(x) == 0) return;
  with_element_type(x.dtype, [&](auto t) {
    forward_training<decltype(t)>(ctx, y, x, gamma, beta, running_mean, running_var, save_mean,
                                  save_invstd, momentum, eps, /*relu=*/false);
  });
}

void batchnorm_relu_forward_training(const DeviceContext& ctx, const TensorView& y,
                                     const TensorView& x, const TensorView& gamma,
                                     const TensorView& beta, const TensorView& running_mean,
                                     const TensorView& running_var, const TensorView& save_mean,
                                     const TensorView& save_invstd, float momentum, float eps) {
  if (tiles::channels_of(x) == 0) return;
  with_element_type(x.dtype, [&](auto t) {
    forward_training<decltype(t)>(ctx, y, x, gamma, beta, running_mean, running_var, save_mean,
                                  save_invstd, momentum, eps, /*relu=*/true);
  });
}

void batchnorm_forward_inference(const DeviceContext& ctx, const TensorView& y,
                                 const TensorView& x, const TensorView& gamma,
                                 const TensorView& beta, const TensorView& running_mean,
                                 const TensorView& running_var, float eps) {
  if (tiles::channels_of(x) == 0) return;
  with_element_type(x.dtype, [&](auto t) {
    normalize<decltype(t)>(ctx, y, x, gamma, beta,
                           RunningStats{running_mean.as<const float>(), running_var.as<const float>(), eps},
                           /*relu=*/false);
  });
}

void batchnorm_relu_forward_inference(const DeviceContext& ctx, const TensorView& y,
                                      const TensorView& x, const TensorView& gamma,
                                      const TensorView& beta, const TensorView& running_mean,
                                      const TensorView& running_var, float eps) {
  if (tiles::channels_of(x) == 0) return;
  with_element_type(x.dtype, [&](auto t) {
    normalize<decltype(t)>(ctx, y, x, gamma, beta,
                           RunningStats{running_mean.as<const float>(), running_var.as<const float>(), eps},
                           /*relu=*/true);
  });
}

void batchnorm_backward(const DeviceContext& ctx, const TensorView& dx, const TensorView& dgamma,
                        const TensorView& dbeta, const TensorView& dy, const TensorView& x,
                        const TensorView& gamma, const TensorView& save_mean,
                        const TensorView& save_invstd) {
  if (tiles::channels_of(x) == 0) return;
  with_element_type(x.dtype, [&](auto t) {
    backward<decltype(t)>(ctx, dx, dgamma, dbeta, dy, nullptr, x, gamma, save_mean, save_invstd);
  });
}

void batchnorm_relu_backward(const DeviceContext& ctx, const TensorView& dx,
                             const TensorView& dgamma, const TensorView& dbeta,
                             const TensorView& dy, const TensorView& y, const TensorView& x,
                             const TensorView& gamma, const TensorView& save_mean,
                             const TensorView& save_invstd) {
  if (tiles::channels_of(x) == 0) return;
  with_element_type(x.dtype, [&](auto t) {
    backward<decltype(t)>(ctx, dx, dgamma, dbeta, dy, &y, x, gamma, save_mean, save_invstd);
  });
}

}  // namespace pose::cuda_ops
