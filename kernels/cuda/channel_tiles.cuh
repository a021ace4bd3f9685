// Per-channel work on NHWC tensors seen as a rows x channels matrix (rows = N*H*W, channels
// innermost), shared by batch norm and bias.
//
// A block is kChannels x kRows threads: threadIdx.x picks a channel of the block's tile of
// kChannels consecutive channels (a warp reads 32 neighbouring values of one row: coalesced),
// threadIdx.y a row; the block walks the rows with stride gridDim.y * kRows, so each thread keeps
// one channel and its per-channel values in registers. Reductions are two-level and free of
// atomics: each block writes one partial per channel, then one thread per channel adds the
// partials in block order, so results are deterministic.
#pragma once

#include <algorithm>
#include <cstdint>

#include "core/cuda/checks.h"
#include "core/device_context.h"
#include "kernels/cuda/device_scratch.h"

namespace pose::cuda_ops::tiles {

constexpr int kChannels = 32;
constexpr int kRows = 8;

// Block budgets. Reductions write one partial per row block, so they use fewer blocks with
// longer row loops; elementwise passes use more. Both are constants rather than read from the
// GPU, so a reduction's summation order, and its result, is the same on every GPU and rank.
constexpr std::int64_t kReduceBlocks = 132 * 4;
constexpr std::int64_t kApplyBlocks = 132 * 16;
constexpr std::int64_t kMaxGridY = 65535;

// The rows x channels view of an NHWC tensor with at least one channel.
inline std::int64_t rows_of(const TensorView& t) { return t.numel() / t.shape[3]; }
inline int channels_of(const TensorView& t) { return static_cast<int>(t.shape[3]); }

inline dim3 block() { return dim3(kChannels, kRows); }

// Channel tiles along x; along y enough row blocks to reach `budget` blocks in all, but no more
// than the rows fill.
inline dim3 grid(std::int64_t rows, std::int64_t channels, std::int64_t budget) {
  const std::int64_t channel_tiles = (channels + kChannels - 1) / kChannels;
  const std::int64_t row_blocks =
      std::clamp<std::int64_t>(std::min((rows + kRows - 1) / kRows, budget / channel_tiles), 1,
                               kMaxGridY);
  return dim3(static_cast<unsigned>(channel_tiles), static_cast<unsigned>(row_blocks));
}

__device__ __forceinline__ int channel() {
  return static_cast<int>(blockIdx.x) * kChannels + static_cast<int>(threadIdx.x);
}
__device__ __forceinline__ std::int64_t first_row() {
  return static_cast<std::int64_t>(blockIdx.y) * kRows + threadIdx.y;
}
__device__ __forceinline__ std::int64_t row_stride() {
  return static_cast<std::int64_t>(gridDim.y) * kRows;
}

// ---- kernels: per-channel sums of kCount terms per element ---------------------------------

// Terms supplies `static constexpr int kCount` and `for_channel(c)`, which returns an object
// whose `add(i, acc)` adds the kCount terms of element i (offset r * channels + c) to acc.
// partials: [kCount][gridDim.y][channels].
template <typename Terms>
__global__ void partial_sums_kernel(std::int64_t rows, int channels, Terms terms,
                                    float* partials) {
  constexpr int kCount = Terms::kCount;
  const int c = channel();
  float acc[kCount] = {};
  if (c < channels) {
    const auto per_channel = terms.for_channel(c);
    for (std::int64_t r = first_row(); r < rows; r += row_stride())
      per_channel.add(r * channels + c, acc);
  }
  __shared__ float shared[kCount][kRows][kChannels];
  for (int k = 0; k < kCount; ++k) shared[k][threadIdx.y][threadIdx.x] = acc[k];
  __syncthreads();
  if (threadIdx.y != 0 || c >= channels) return;
  for (int k = 0; k < kCount; ++k) {
    float sum = 0.0f;
    for (int i = 0; i < kRows; ++i) sum += shared[k][i][threadIdx.x];
    partials[(static_cast<std::int64_t>(k) * gridDim.y + blockIdx.y) * channels + c] = sum;
  }
}

template <int kCount>
struct SumOutputs {
  float* out[kCount];
};

// out.out[k][c] = sum over row blocks of partials[k][b][c].
template <int kCount>
__global__ void sum_partials_kernel(int channels, int row_blocks, const float* partials,
                                    SumOutputs<kCount> out) {
  const int c = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  if (c >= channels) return;
  for (int k = 0; k < kCount; ++k) {
    float sum = 0.0f;
    for (int b = 0; b < row_blocks; ++b)
      sum += partials[(static_cast<std::int64_t>(k) * row_blocks + b) * channels + c];
    out.out[k][c] = sum;
  }
}

// ---- launchers ----------------------------------------------------------------------------

constexpr int kChannelBlock = 256;  // threads per block of the one-thread-per-channel kernels

inline unsigned channel_blocks(std::int64_t channels) {
  return static_cast<unsigned>((channels + kChannelBlock - 1) / kChannelBlock);
}

// out.out[k][c] = sum over all rows of term k of (row, c). rows, channels > 0.
template <typename Terms>
void channel_sums(const DeviceContext& ctx, std::int64_t rows, int channels, Terms terms,
                  SumOutputs<Terms::kCount> out) {
  const dim3 g = grid(rows, channels, kReduceBlocks);
  auto* partials = static_cast<float*>(device_scratch(
      ctx, sizeof(float) * Terms::kCount * g.y * static_cast<std::size_t>(channels)));
  partial_sums_kernel<<<g, block(), 0, ctx.stream()>>>(rows, channels, terms, partials);
  POSE_CUDA_CHECK_LAUNCH();
  sum_partials_kernel<Terms::kCount><<<channel_blocks(channels), kChannelBlock, 0, ctx.stream()>>>(
      channels, static_cast<int>(g.y), partials, out);
  POSE_CUDA_CHECK_LAUNCH();
}

}  // namespace pose::cuda_ops::tiles
