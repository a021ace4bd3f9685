// CUDA max pooling of NHWC tensors (f32 or f16), matching the CPU reference's rules: padding
// never takes part, ties go to the first position in row-major window order, a NaN wins.
//
// Backward is a gather, free of atomics: a first pass stores each window's winning position
// (one byte per output element, in the scratch buffer), then each input element adds the dy of
// the windows that chose it, in window order, exactly as the CPU reference accumulates.
//
// Blocks are kChannelThreads x kPixelThreads threads; grid (pixel-column blocks, rows, images),
// so no thread divides indices. Each thread loops over the channels c = threadIdx.x + 32k of its
// pixel: a warp reads 32 consecutive channels of one pixel (coalesced).
#include <cstdint>

#include "core/cuda/checks.h"
#include "core/error.h"
#include "kernels/cuda/device_scratch.h"
#include "kernels/cuda/half_io.cuh"
#include "kernels/layer_op_signatures.h"

namespace pose::cuda_ops {
namespace {

constexpr int kChannelThreads = 32;
constexpr int kPixelThreads = 8;
constexpr int kMaxWindow = 16;  // window positions 0 .. 255 fit the one-byte argmax

struct PoolShape {
  int height, width, channels;  // of x (and dx)
  int out_height, out_width;    // of y (and dy)
  int window, stride, pad;
};

// ---- kernels ------------------------------------------------------------------------------

__device__ __forceinline__ bool beats(float candidate, float best) {
  return candidate > best || isnan(candidate);
}

// Scans the window of output pixel (blockIdx.z, blockIdx.y, blockIdx.x * kPixelThreads +
// threadIdx.y) for each channel; writes the max to y, or with kArgmax its position
// (row * window + column within the unclipped window) to argmax.
template <typename T, bool kArgmax>
__global__ void maxpool_scan_kernel(const T* x, PoolShape s, T* y, std::uint8_t* argmax) {
  const int n = static_cast<int>(blockIdx.z);
  const int ho = static_cast<int>(blockIdx.y);
  const int wo = static_cast<int>(blockIdx.x) * kPixelThreads + static_cast<int>(threadIdx.y);
  if (wo >= s.out_width) return;
  const int top = ho * s.stride - s.pad;
  const int left = wo * s.stride - s.pad;
  const int h0 = max(top, 0), h1 = min(top + s.window, s.height);
  const int w0 = max(left, 0), w1 = min(left + s.window, s.width);
  const std::int64_t image_row0 = static_cast<std::int64_t>(n) * s.height;
  const std::int64_t out =
      ((static_cast<std::int64_t>(n) * s.out_height + ho) * s.out_width + wo) * s.channels;
  for (int c = static_cast<int>(threadIdx.x); c < s.channels; c += kChannelThreads) {
    float best = -INFINITY;
    int where = -1;
    for (int h = h0; h < h1; ++h)
      for (int w = w0; w < w1; ++w) {
        const float v = to_float(x[((image_row0 + h) * s.width + w) * s.channels + c]);
        if (where < 0 || beats(v, best)) {
          best = v;
          where = (h - top) * s.window + (w - left);
        }
      }
    if constexpr (kArgmax)
      argmax[out + c] = static_cast<std::uint8_t>(where);
    else
      y[out + c] = from_float<T>(best);
  }
}

// The first output index whose window (stride, size `window`, shifted by -pad) covers input
// index i; the last is (i + pad) / stride.
__device__ __forceinline__ int first_window(int i, const PoolShape& s) {
  const int before = i + s.pad - s.window;  // the window must end after i
  return before < 0 ? 0 : before / s.stride + 1;
}

// dx of input pixel (blockIdx.z, blockIdx.y, blockIdx.x * kPixelThreads + threadIdx.y): the sum
// of dy over the windows whose argmax is this pixel, in ascending (ho, wo) order.
template <typename T>
__global__ void maxpool_gather_kernel(T* dx, const T* dy, const std::uint8_t* argmax,
                                      PoolShape s) {
  const int n = static_cast<int>(blockIdx.z);
  const int h = static_cast<int>(blockIdx.y);
  const int w = static_cast<int>(blockIdx.x) * kPixelThreads + static_cast<int>(threadIdx.y);
  if (w >= s.width) return;
  const int ho0 = first_window(h, s), ho1 = min((h + s.pad) / s.stride, s.out_height - 1);
  const int wo0 = first_window(w, s), wo1 = min((w + s.pad) / s.stride, s.out_width - 1);
  const std::int64_t in =
      ((static_cast<std::int64_t>(n) * s.height + h) * s.width + w) * s.channels;
  const std::int64_t out_row0 = static_cast<std::int64_t>(n) * s.out_height;
  for (int c = static_cast<int>(threadIdx.x); c < s.channels; c += kChannelThreads) {
    float sum = 0.0f;
    for (int ho = ho0; ho <= ho1; ++ho)
      for (int wo = wo0; wo <= wo1; ++wo) {
        const std::int64_t o = ((out_row0 + ho) * s.out_width + wo) * s.channels + c;
        const int position =
            (h - (ho * s.stride - s.pad)) * s.window + (w - (wo * s.stride - s.pad));
        if (argmax[o] == position) sum += to_float(dy[o]);
      }
    dx[in + c] = from_float<T>(sum);
  }
}

// ---- launchers ----------------------------------------------------------------------------

PoolShape pool_shape(const TensorView& x, const TensorView& y, PoolGeometry g) {
  return {static_cast<int>(x.shape[1]), static_cast<int>(x.shape[2]),
          static_cast<int>(x.shape[3]), static_cast<int>(y.shape[1]),
          static_cast<int>(y.shape[2]), g.window, g.stride, g.pad};
}

// One thread row per pixel of an {n, height, width} pixel grid.
dim3 pixel_grid(std::int64_t n, int height, int width) {
  return dim3(static_cast<unsigned>((width + kPixelThreads - 1) / kPixelThreads),
              static_cast<unsigned>(height), static_cast<unsigned>(n));
}

const dim3 kBlock(kChannelThreads, kPixelThreads);

}  // namespace

void maxpool_forward(const DeviceContext& ctx, const TensorView& y, const TensorView& x,
                     PoolGeometry g) {
  if (y.numel() == 0) return;
  const PoolShape s = pool_shape(x, y, g);
  with_element_type(x.dtype, [&](auto t) {
    using T = decltype(t);
    maxpool_scan_kernel<T, false>
        <<<pixel_grid(x.shape[0], s.out_height, s.out_width), kBlock, 0, ctx.stream()>>>(
            x.as<const T>(), s, y.as<T>(), nullptr);
    POSE_CUDA_CHECK_LAUNCH();
  });
}

void maxpool_backward(const DeviceContext& ctx, const TensorView& dx, const TensorView& dy,
                      const TensorView& x, PoolGeometry g) {
  if (dx.numel() == 0) return;
  POSE_CHECK(g.window <= kMaxWindow, "maxpool_backward: the CUDA backend supports windows up to ",
             kMaxWindow, ", got ", g.window);
  const PoolShape s = pool_shape(x, dy, g);
  auto* argmax =
      static_cast<std::uint8_t*>(device_scratch(ctx, static_cast<std::size_t>(dy.numel())));
  with_element_type(x.dtype, [&](auto t) {
    using T = decltype(t);
    maxpool_scan_kernel<T, true>
        <<<pixel_grid(x.shape[0], s.out_height, s.out_width), kBlock, 0, ctx.stream()>>>(
            x.as<const T>(), s, nullptr, argmax);
    POSE_CUDA_CHECK_LAUNCH();
    maxpool_gather_kernel<T><<<pixel_grid(x.shape[0], s.height, s.width), kBlock, 0,
                               ctx.stream()>>>(dx.as<T>(), dy.as<const T>(), argmax, s);
    POSE_CUDA_CHECK_LAUNCH();
  });
}

}  // namespace pose::cuda_ops
