// The op signatures, written once and declared in both backends: pose::cpu_ops (kernels/cpu,
// the fp32 reference) and pose::cuda_ops (kernels/cuda). Declaring both from one list keeps
// the two implementations' signatures identical by construction.
//
// Backend functions assume validated arguments: kernels/ops.cpp checks devices, dtypes and
// sizes once for both backends before calling them. Layers call pose::ops (kernels/ops.h).
#pragma once

#include "core/device_context.h"
#include "core/tensor.h"

// Elementwise ops over contiguous tensors of equal element count, f32 or f16 (f16 is computed
// in f32 and rounded to nearest even on store). `out` may alias an input.
#define POSE_ELEMENTWISE_OP_SIGNATURES                                                        \
  /* out = value */                                                                          \
  void fill(const DeviceContext& ctx, const TensorView& out, float value);                   \
  /* out = in (same dtype) */                                                                \
  void copy(const DeviceContext& ctx, const TensorView& out, const TensorView& in);          \
  /* out = alpha * in */                                                                     \
  void scale(const DeviceContext& ctx, const TensorView& out, const TensorView& in,          \
             float alpha);                                                                   \
  /* out = a + b */                                                                          \
  void add(const DeviceContext& ctx, const TensorView& out, const TensorView& a,             \
           const TensorView& b);                                                             \
  /* out = max(a + b, 0): a residual block's sum and ReLU in one pass */                    \
  void add_relu(const DeviceContext& ctx, const TensorView& out, const TensorView& a,        \
                const TensorView& b);                                                        \
  /* out = max(in, 0) */                                                                     \
  void relu_forward(const DeviceContext& ctx, const TensorView& out, const TensorView& in);  \
  /* grad_in = out > 0 ? grad_out : 0, from the forward output so relu may run in place */  \
  void relu_backward(const DeviceContext& ctx, const TensorView& grad_in,                    \
                     const TensorView& grad_out, const TensorView& out);                     \
  /* out = in converted between f32 and f16 (round to nearest even) */                      \
  void cast(const DeviceContext& ctx, const TensorView& out, const TensorView& in);

namespace pose::cpu_ops {
POSE_ELEMENTWISE_OP_SIGNATURES
}  // namespace pose::cpu_ops

#if POSE_WITH_CUDA
namespace pose::cuda_ops {
POSE_ELEMENTWISE_OP_SIGNATURES
}  // namespace pose::cuda_ops
#endif
