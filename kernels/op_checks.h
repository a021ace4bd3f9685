// Argument checks and backend dispatch shared by the checked front ends (kernels/ops.cpp,
// kernels/layer_ops.cpp). Every failure names the op and the argument, so a message read in a
// log says which call was wrong without a debugger.
#pragma once

#include "core/device_context.h"
#include "core/error.h"
#include "core/tensor.h"

namespace pose::op_checks {

inline void expect_on_device(const DeviceContext& ctx, const TensorView& t, const char* op,
                             const char* name) {
  POSE_CHECK(t.device == ctx.device(), op, ": ", name, " is on ", to_string(t.device),
             " but the context runs on ", to_string(ctx.device()));
  POSE_CHECK(t.data != nullptr || t.numel() == 0, op, ": ", name, " has no data");
}

inline void expect_same_size(const TensorView& a, const TensorView& b, const char* op) {
  POSE_CHECK(a.numel() == b.numel(), op, ": element counts differ: ", a.str(), " vs ", b.str());
}

inline void expect_same_dtype(const TensorView& a, const TensorView& b, const char* op) {
  POSE_CHECK(a.dtype == b.dtype, op, ": dtypes differ: ", a.str(), " vs ", b.str());
}

// Whether the CUDA backend runs an op on `ctx`; a CUDA context in a CPU-only build is an error.
inline bool runs_on_cuda(const DeviceContext& ctx, const char* op) {
#if !POSE_WITH_CUDA
  POSE_CHECK(ctx.device() == Device::CPU, op, ": this build has no CUDA backend");
#endif
  (void)op;
  return ctx.device() == Device::CUDA;
}

}  // namespace pose::op_checks

// Runs `call` from pose::cuda_ops or pose::cpu_ops; `use_cuda` comes from the op's checks.
#if POSE_WITH_CUDA
#define POSE_RUN(use_cuda, call) ((use_cuda) ? cuda_ops::call : cpu_ops::call)
#else
#define POSE_RUN(use_cuda, call) ((void)(use_cuda), cpu_ops::call)
#endif
