#include "kernels/ops.h"

#include "kernels/op_checks.h"
#include "kernels/op_timer.h"

namespace pose::ops {
namespace {

using op_checks::expect_on_device;
using op_checks::expect_same_dtype;
using op_checks::expect_same_size;
using op_checks::runs_on_cuda;

// Validates `out` and each input, then returns whether the CUDA backend runs the op.
template <typename... Inputs>
bool check_elementwise(const DeviceContext& ctx, const char* op, bool same_dtype,
                       const TensorView& out, const Inputs&... inputs) {
  expect_on_device(ctx, out, op, "output");
  (expect_on_device(ctx, inputs, op, "input"), ...);
  (expect_same_size(out, inputs, op), ...);
  if (same_dtype) (expect_same_dtype(out, inputs, op), ...);
  return runs_on_cuda(ctx, op);
}

}  // namespace

void fill(const DeviceContext& ctx, const TensorView& out, float value) {
  const op_timer::Scope timed(ctx, "fill");
  POSE_RUN(check_elementwise(ctx, "fill", true, out), fill(ctx, out, value));
}

void copy(const DeviceContext& ctx, const TensorView& out, const TensorView& in) {
  const op_timer::Scope timed(ctx, "copy");
  POSE_RUN(check_elementwise(ctx, "copy", true, out, in), copy(ctx, out, in));
}

void scale(const DeviceContext& ctx, const TensorView& out, const TensorView& in, float alpha) {
  const op_timer::Scope timed(ctx, "scale");
  POSE_RUN(check_elementwise(ctx, "scale", true, out, in), scale(ctx, out, in, alpha));
}

void add(const DeviceContext& ctx, const TensorView& out, const TensorView& a,
         const TensorView& b) {
  const op_timer::Scope timed(ctx, "add");
  POSE_RUN(check_elementwise(ctx, "add", true, out, a, b), add(ctx, out, a, b));
}

void add_relu(const DeviceContext& ctx, const TensorView& out, const TensorView& a,
              const TensorView& b) {
  const op_timer::Scope timed(ctx, "add_relu");
  POSE_RUN(check_elementwise(ctx, "add_relu", true, out, a, b), add_relu(ctx, out, a, b));
}

void relu_forward(const DeviceContext& ctx, const TensorView& out, const TensorView& in) {
  const op_timer::Scope timed(ctx, "relu_forward");
  POSE_RUN(check_elementwise(ctx, "relu_forward", true, out, in), relu_forward(ctx, out, in));
}

void relu_backward(const DeviceContext& ctx, const TensorView& grad_in,
                   const TensorView& grad_out, const TensorView& out) {
  const op_timer::Scope timed(ctx, "relu_backward");
  POSE_RUN(check_elementwise(ctx, "relu_backward", true, grad_in, grad_out, out),
           relu_backward(ctx, grad_in, grad_out, out));
}

void cast(const DeviceContext& ctx, const TensorView& out, const TensorView& in) {
  const op_timer::Scope timed(ctx, "cast");
  POSE_RUN(check_elementwise(ctx, "cast", false, out, in), cast(ctx, out, in));
}

#undef POSE_RUN

}  // namespace pose::ops
