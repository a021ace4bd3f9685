// pose::ops for the optimiser ops: checks, then the CPU or CUDA implementation.
// Semantics: kernels/train_op_signatures.h.
#include "kernels/op_checks.h"
#include "kernels/op_timer.h"
#include "kernels/train_op_signatures.h"

namespace pose::ops {
namespace {

void check_state(const DeviceContext& ctx, const TensorView& state, const char* op) {
  op_checks::expect_on_device(ctx, state, op, "state");
  POSE_CHECK(state.dtype == DType::F32 && state.numel() == 4, op, ": state must be f32 {4}, got ",
             state.str());
}

void check_f32_like(const DeviceContext& ctx, const TensorView& t, const TensorView& like, const char* op,
                    const char* name) {
  op_checks::expect_on_device(ctx, t, op, name);
  POSE_CHECK(t.dtype == DType::F32, op, ": ", name, " must be f32, got ", t.str());
  op_checks::expect_same_size(t, like, op);
}

}  // namespace

void find_nonfinite(const DeviceContext& ctx, const TensorView& state, const TensorView& values) {
  const op_timer::Scope timed(ctx, "find_nonfinite");
  check_state(ctx, state, "find_nonfinite");
  check_f32_like(ctx, values, values, "find_nonfinite", "values");
  POSE_RUN(op_checks::runs_on_cuda(ctx, "find_nonfinite"), find_nonfinite(ctx, state, values));
}

void adam_update(const DeviceContext& ctx, const TensorView& master, const TensorView& m, const TensorView& v,
                 const TensorView& grad, const TensorView& state, AdamSettings settings) {
  const op_timer::Scope timed(ctx, "adam_update");
  const char* op = "adam_update";
  check_state(ctx, state, op);
  check_f32_like(ctx, master, master, op, "master");
  check_f32_like(ctx, m, master, op, "m");
  check_f32_like(ctx, v, master, op, "v");
  check_f32_like(ctx, grad, master, op, "grad");
  POSE_CHECK(settings.grad_divisor > 0, op, ": grad_divisor must be positive");
  POSE_RUN(op_checks::runs_on_cuda(ctx, op), adam_update(ctx, master, m, v, grad, state, settings));
}

void update_step_state(const DeviceContext& ctx, const TensorView& state, int growth_interval) {
  const op_timer::Scope timed(ctx, "update_step_state");
  check_state(ctx, state, "update_step_state");
  POSE_CHECK(growth_interval >= 0, "update_step_state: growth_interval must be >= 0");
  POSE_RUN(op_checks::runs_on_cuda(ctx, "update_step_state"), update_step_state(ctx, state, growth_interval));
}

}  // namespace pose::ops
