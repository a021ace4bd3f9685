// CPU reference of the optimiser ops (kernels/train_op_signatures.h).
#include <cmath>
#include <limits>

#include "kernels/train_op_signatures.h"

namespace pose::cpu_ops {

void find_nonfinite(const DeviceContext&, const TensorView& state, const TensorView& values) {
  // |x| <= FLT_MAX fails for inf and NaN: one vectorisable pass with no early exit.
  const float* x = values.as<float>();
  int found = 0;
  for (std::int64_t i = 0, end = values.numel(); i < end; ++i)
    found |= !(std::fabs(x[i]) <= std::numeric_limits<float>::max());
  if (found) state.as<float>()[kFoundNonfinite] = 1.0f;
}

void adam_update(const DeviceContext&, const TensorView& master, const TensorView& m, const TensorView& v,
                 const TensorView& grad, const TensorView& state, AdamSettings s) {
  const float* st = state.as<float>();
  if (st[kFoundNonfinite] != 0.0f) return;
  const float t = st[kAdamStep] + 1.0f;
  const float grad_factor = 1.0f / (st[kLossScale] * s.grad_divisor);
  // Bias corrections in double: 1 - beta^t loses digits in f32 for small t.
  const float c1 = static_cast<float>(1.0 - std::pow(double(s.beta1), double(t)));
  const float c2 = static_cast<float>(1.0 - std::pow(double(s.beta2), double(t)));
  float* w = master.as<float>();
  float* mm = m.as<float>();
  float* vv = v.as<float>();
  const float* g = grad.as<float>();
  for (std::int64_t i = 0, end = master.numel(); i < end; ++i) {
    const float gi = g[i] * grad_factor + s.weight_decay * w[i];
    mm[i] = s.beta1 * mm[i] + (1.0f - s.beta1) * gi;
    vv[i] = s.beta2 * vv[i] + (1.0f - s.beta2) * gi * gi;
    w[i] -= s.lr * (mm[i] / c1) / (std::sqrt(vv[i] / c2) + s.eps);
  }
}

void update_step_state(const DeviceContext&, const TensorView& state, int growth_interval) {
  float* st = state.as<float>();
  if (st[kFoundNonfinite] != 0.0f) {
    if (growth_interval > 0) st[kLossScale] *= 0.5f;
    st[kCleanSteps] = 0.0f;
  } else {
    st[kAdamStep] += 1.0f;
    st[kCleanSteps] += 1.0f;
    if (growth_interval > 0 && st[kCleanSteps] >= static_cast<float>(growth_interval)) {
      st[kLossScale] *= 2.0f;
      st[kCleanSteps] = 0.0f;
    }
  }
  st[kFoundNonfinite] = 0.0f;
}

}  // namespace pose::cpu_ops
