// CUDA elementwise ops. Kernels take element type T (float or __half), compute in float and
// round on store (__float2half_rn), matching the CPU reference bit for bit. Each op has a
// simple kernel (one element per thread and iteration) and, for the vectorized and fused
// kernel sets (kernels/gpu_kernels.h), a vectorized one: 16-byte loads and stores, two vectors
// in flight per thread, the last n % lanes elements done one by one.
#include <cuda_fp16.h>

#include <algorithm>
#include <cstdint>

#include "core/cuda/checks.h"
#include "kernels/cuda/half_io.cuh"
#include "kernels/cuda/vector_io.cuh"
#include "kernels/gpu_kernels.h"
#include "kernels/op_signatures.h"

namespace pose::cuda_ops {
namespace {

// ---- kernels ------------------------------------------------------------------------------

// One grid-stride loop shared by every elementwise kernel; `op(i)` does element i.
template <typename Op>
__global__ void elementwise_kernel(std::int64_t n, Op op) {
  const std::int64_t stride = static_cast<std::int64_t>(gridDim.x) * blockDim.x;
  for (std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x; i < n;
       i += stride)
    op(i);
}

template <typename T>
struct FillOp {
  T* out;
  float value;
  __device__ void operator()(std::int64_t i) const { out[i] = from_float<T>(value); }
};

template <typename T>
struct ScaleOp {
  T* out;
  const T* in;
  float alpha;
  __device__ void operator()(std::int64_t i) const {
    out[i] = from_float<T>(alpha * to_float(in[i]));
  }
};

template <typename T>
struct AddOp {
  T* out;
  const T* a;
  const T* b;
  __device__ void operator()(std::int64_t i) const {
    out[i] = from_float<T>(to_float(a[i]) + to_float(b[i]));
  }
};

template <typename T>
struct ReluForwardOp {
  T* out;
  const T* in;
  __device__ void operator()(std::int64_t i) const {
    out[i] = from_float<T>(fmaxf(to_float(in[i]), 0.0f));
  }
};

template <typename T>
struct ReluBackwardOp {
  T* grad_in;
  const T* grad_out;
  const T* out;
  __device__ void operator()(std::int64_t i) const {
    grad_in[i] = from_float<T>(to_float(out[i]) > 0.0f ? to_float(grad_out[i]) : 0.0f);
  }
};

template <typename To, typename From>
struct CastOp {
  To* out;
  const From* in;
  __device__ void operator()(std::int64_t i) const { out[i] = from_float<To>(to_float(in[i])); }
};

template <typename T>
struct AddReluOp {
  T* out;
  const T* a;
  const T* b;
  __device__ void operator()(std::int64_t i) const {
    out[i] = from_float<T>(fmaxf(to_float(a[i]) + to_float(b[i]), 0.0f));
  }
};

// ---- vectorized kernels -------------------------------------------------------------------

// The per-element functions of the vectorized kernels, the same arithmetic as the ops above.
struct ScaleFn {
  float alpha;
  __device__ float operator()(float x) const { return alpha * x; }
};
struct AddFn {
  __device__ float operator()(float a, float b) const { return a + b; }
};
struct AddReluFn {
  __device__ float operator()(float a, float b) const { return fmaxf(a + b, 0.0f); }
};
struct ReluFn {
  __device__ float operator()(float x) const { return fmaxf(x, 0.0f); }
};
struct ReluBackwardFn {  // (grad_out, out)
  __device__ float operator()(float g, float y) const { return y > 0.0f ? g : 0.0f; }
};

template <typename T, int kInputs, typename Fn>
__device__ __forceinline__ Vec<T> map_lanes(const Vec<T>& a, const Vec<T>& b, Fn fn) {
  Vec<T> r;
#pragma unroll
  for (int i = 0; i < kLanes<T>; ++i) {
    if constexpr (kInputs == 1)
      r.v[i] = fn(a.v[i]);
    else
      r.v[i] = fn(a.v[i], b.v[i]);
  }
  return r;
}

// out = fn(in0[, in1]) over n elements; in1 is unused when kInputs == 1.
template <typename T, int kInputs, typename Fn>
__global__ void vector_map_kernel(T* out, const T* in0, const T* in1, std::int64_t n, Fn fn) {
  const std::int64_t vectors = n / kLanes<T>;
  const std::int64_t threads = static_cast<std::int64_t>(gridDim.x) * blockDim.x;
  const std::int64_t first = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  Vec<T> b0{}, b1{};
  std::int64_t v = first;
  for (; v + threads < vectors; v += 2 * threads) {  // both vectors' loads before any use
    const Vec<T> a0 = load_vec(in0, v), a1 = load_vec(in0, v + threads);
    if constexpr (kInputs == 2) {
      b0 = load_vec(in1, v);
      b1 = load_vec(in1, v + threads);
    }
    store_vec(out, v, map_lanes<T, kInputs>(a0, b0, fn));
    store_vec(out, v + threads, map_lanes<T, kInputs>(a1, b1, fn));
  }
  if (v < vectors) {
    if constexpr (kInputs == 2) b0 = load_vec(in1, v);
    store_vec(out, v, map_lanes<T, kInputs>(load_vec(in0, v), b0, fn));
  }
  const std::int64_t tail = vectors * kLanes<T> + first;
  if (tail < n) {
    if constexpr (kInputs == 1)
      out[tail] = from_float<T>(fn(to_float(in0[tail])));
    else
      out[tail] = from_float<T>(fn(to_float(in0[tail]), to_float(in1[tail])));
  }
}

// 8 consecutive elements of an f32 (two 16-byte vectors) or f16 (one) tensor, for casts.
struct Eight {
  float v[8];
};
__device__ __forceinline__ Eight load8(const float* p, std::int64_t i) {
  const Vec<float> lo = load_vec(p, 2 * i), hi = load_vec(p, 2 * i + 1);
  return Eight{{lo.v[0], lo.v[1], lo.v[2], lo.v[3], hi.v[0], hi.v[1], hi.v[2], hi.v[3]}};
}
__device__ __forceinline__ Eight load8(const __half* p, std::int64_t i) {
  const Vec<__half> x = load_vec(p, i);
  Eight e;
#pragma unroll
  for (int k = 0; k < 8; ++k) e.v[k] = x.v[k];
  return e;
}
__device__ __forceinline__ void store8(float* p, std::int64_t i, const Eight& e) {
  store_vec(p, 2 * i, Vec<float>{{e.v[0], e.v[1], e.v[2], e.v[3]}});
  store_vec(p, 2 * i + 1, Vec<float>{{e.v[4], e.v[5], e.v[6], e.v[7]}});
}
__device__ __forceinline__ void store8(__half* p, std::int64_t i, const Eight& e) {
  Vec<__half> x;
#pragma unroll
  for (int k = 0; k < 8; ++k) x.v[k] = e.v[k];
  store_vec(p, i, x);
}

template <typename To, typename From>
__global__ void vector_cast_kernel(To* out, const From* in, std::int64_t n) {
  const std::int64_t groups = n / 8;
  const std::int64_t threads = static_cast<std::int64_t>(gridDim.x) * blockDim.x;
  const std::int64_t first = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  std::int64_t g = first;
  for (; g + threads < groups; g += 2 * threads) {
    const Eight a = load8(in, g), b = load8(in, g + threads);
    store8(out, g, a);
    store8(out, g + threads, b);
  }
  if (g < groups) store8(out, g, load8(in, g));
  const std::int64_t tail = groups * 8 + first;
  if (tail < n) out[tail] = from_float<To>(to_float(in[tail]));
}

// ---- launchers ----------------------------------------------------------------------------

constexpr int kBlock = 256;
constexpr std::int64_t kMaxBlocks = 132 * 16;  // enough blocks to fill an H100; the loop strides

template <typename Op>
void launch(const DeviceContext& ctx, std::int64_t n, Op op) {
  if (n == 0) return;
  const std::int64_t blocks = std::min<std::int64_t>((n + kBlock - 1) / kBlock, kMaxBlocks);
  elementwise_kernel<<<static_cast<unsigned>(blocks), kBlock, 0, ctx.stream()>>>(n, op);
  POSE_CUDA_CHECK_LAUNCH();
}

// Whether an op runs its vectorized kernel: asked for, and every tensor 16-byte aligned.
template <typename... Ptrs>
bool vectorized(const Ptrs*... ptrs) {
  return gpu_kernels() != GpuKernels::Simple && vector_aligned(ptrs...);
}

// Blocks for a vectorized pass over n elements of `lanes` per vector, two vectors per thread.
unsigned vector_blocks(std::int64_t n, int lanes) {
  const std::int64_t per_block = static_cast<std::int64_t>(kBlock) * 2 * lanes;
  return static_cast<unsigned>(std::clamp<std::int64_t>((n + per_block - 1) / per_block, 1, kMaxBlocks));
}

template <typename T, int kInputs, typename Fn>
void launch_vector_map(const DeviceContext& ctx, const TensorView& out, const TensorView& in0,
                       const TensorView* in1, Fn fn) {
  const std::int64_t n = out.numel();
  if (n == 0) return;
  vector_map_kernel<T, kInputs><<<vector_blocks(n, kLanes<T>), kBlock, 0, ctx.stream()>>>(
      out.as<T>(), in0.as<const T>(), in1 ? in1->as<const T>() : nullptr, n, fn);
  POSE_CUDA_CHECK_LAUNCH();
}

// The vectorized map of `fn` in out's dtype when the kernel set and alignment allow it; false
// leaves the op to its simple kernel.
template <int kInputs, typename Fn>
bool try_vector_map(const DeviceContext& ctx, const TensorView& out, const TensorView& in0,
                    const TensorView* in1, Fn fn) {
  if (!vectorized(out.data, in0.data, in1 ? in1->data : in0.data)) return false;
  with_element_type(out.dtype, [&](auto t) { launch_vector_map<decltype(t), kInputs>(ctx, out, in0, in1, fn); });
  return true;
}

// Runs make_op.template operator()<T>() with T = float or __half, chosen by dtype.
template <typename MakeOp>
void launch_typed(const DeviceContext& ctx, DType dtype, std::int64_t n, MakeOp make_op) {
  if (dtype == DType::F32)
    launch(ctx, n, make_op(float{}));
  else
    launch(ctx, n, make_op(__half{}));
}

}  // namespace

void fill(const DeviceContext& ctx, const TensorView& out, float value) {
  launch_typed(ctx, out.dtype, out.numel(), [&](auto t) {
    using T = decltype(t);
    return FillOp<T>{out.as<T>(), value};
  });
}

void copy(const DeviceContext& ctx, const TensorView& out, const TensorView& in) {
  if (out.data == in.data || out.numel() == 0) return;
  POSE_CUDA_CHECK(
      cudaMemcpyAsync(out.data, in.data, out.bytes(), cudaMemcpyDeviceToDevice, ctx.stream()));
}

void scale(const DeviceContext& ctx, const TensorView& out, const TensorView& in, float alpha) {
  if (try_vector_map<1>(ctx, out, in, nullptr, ScaleFn{alpha})) return;
  launch_typed(ctx, out.dtype, out.numel(), [&](auto t) {
    using T = decltype(t);
    return ScaleOp<T>{out.as<T>(), in.as<T>(), alpha};
  });
}

void add(const DeviceContext& ctx, const TensorView& out, const TensorView& a,
         const TensorView& b) {
  if (try_vector_map<2>(ctx, out, a, &b, AddFn{})) return;
  launch_typed(ctx, out.dtype, out.numel(), [&](auto t) {
    using T = decltype(t);
    return AddOp<T>{out.as<T>(), a.as<T>(), b.as<T>()};
  });
}

void add_relu(const DeviceContext& ctx, const TensorView& out, const TensorView& a,
              const TensorView& b) {
  if (try_vector_map<2>(ctx, out, a, &b, AddReluFn{})) return;
  launch_typed(ctx, out.dtype, out.numel(), [&](auto t) {
    using T = decltype(t);
    return AddReluOp<T>{out.as<T>(), a.as<T>(), b.as<T>()};
  });
}

void relu_forward(const DeviceContext& ctx, const TensorView& out, const TensorView& in) {
  if (try_vector_map<1>(ctx, out, in, nullptr, ReluFn{})) return;
  launch_typed(ctx, out.dtype, out.numel(), [&](auto t) {
    using T = decltype(t);
    return ReluForwardOp<T>{out.as<T>(), in.as<T>()};
  });
}

void relu_backward(const DeviceContext& ctx, const TensorView& grad_in,
                   const TensorView& grad_out, const TensorView& out) {
  if (try_vector_map<2>(ctx, grad_in, grad_out, &out, ReluBackwardFn{})) return;
  launch_typed(ctx, grad_in.dtype, grad_in.numel(), [&](auto t) {
    using T = decltype(t);
    return ReluBackwardOp<T>{grad_in.as<T>(), grad_out.as<T>(), out.as<T>()};
  });
}

void cast(const DeviceContext& ctx, const TensorView& out, const TensorView& in) {
  if (out.dtype == in.dtype) return copy(ctx, out, in);
  const std::int64_t n = out.numel();
  if (n > 0 && vectorized(out.data, in.data)) {
    if (out.dtype == DType::F16)
      vector_cast_kernel<<<vector_blocks(n, 8), kBlock, 0, ctx.stream()>>>(out.as<__half>(), in.as<const float>(), n);
    else
      vector_cast_kernel<<<vector_blocks(n, 8), kBlock, 0, ctx.stream()>>>(out.as<float>(), in.as<const __half>(), n);
    POSE_CUDA_CHECK_LAUNCH();
    return;
  }
  if (out.dtype == DType::F16)
    launch(ctx, out.numel(), CastOp<__half, float>{out.as<__half>(), in.as<float>()});
  else
    launch(ctx, out.numel(), CastOp<float, __half>{out.as<float>(), in.as<__half>()});
}

}  // namespace pose::cuda_ops
