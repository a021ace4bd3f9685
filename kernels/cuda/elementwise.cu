// CUDA elementwise ops. Kernels take element type T (float or __half), compute in float and
// round on store (__float2half_rn), matching the CPU reference bit for bit.
#include <cuda_fp16.h>

#include <algorithm>
#include <cstdint>

#include "core/cuda/checks.h"
#include "kernels/cuda/half_io.cuh"
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
  launch_typed(ctx, out.dtype, out.numel(), [&](auto t) {
    using T = decltype(t);
    return ScaleOp<T>{out.as<T>(), in.as<T>(), alpha};
  });
}

void add(const DeviceContext& ctx, const TensorView& out, const TensorView& a,
         const TensorView& b) {
  launch_typed(ctx, out.dtype, out.numel(), [&](auto t) {
    using T = decltype(t);
    return AddOp<T>{out.as<T>(), a.as<T>(), b.as<T>()};
  });
}

void relu_forward(const DeviceContext& ctx, const TensorView& out, const TensorView& in) {
  launch_typed(ctx, out.dtype, out.numel(), [&](auto t) {
    using T = decltype(t);
    return ReluForwardOp<T>{out.as<T>(), in.as<T>()};
  });
}

void relu_backward(const DeviceContext& ctx, const TensorView& grad_in,
                   const TensorView& grad_out, const TensorView& out) {
  launch_typed(ctx, grad_in.dtype, grad_in.numel(), [&](auto t) {
    using T = decltype(t);
    return ReluBackwardOp<T>{grad_in.as<T>(), grad_out.as<T>(), out.as<T>()};
  });
}

void cast(const DeviceContext& ctx, const TensorView& out, const TensorView& in) {
  if (out.dtype == in.dtype) return copy(ctx, out, in);
  if (out.dtype == DType::F16)
    launch(ctx, out.numel(), CastOp<__half, float>{out.as<__half>(), in.as<float>()});
  else
    launch(ctx, out.numel(), CastOp<float, __half>{out.as<float>(), in.as<__half>()});
}

}  // namespace pose::cuda_ops
