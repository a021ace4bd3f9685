#include "train/optimizer.h"

#include "core/error.h"
#include "kernels/host_transfer.h"
#include "kernels/ops.h"

namespace pose {

Optimizer::Optimizer(const PoseResNet& net, const TrainSection& train, int world_size) : net_(net) {
  settings_.beta1 = static_cast<float>(train.adam_beta1);
  settings_.beta2 = static_cast<float>(train.adam_beta2);
  settings_.eps = static_cast<float>(train.adam_eps);
  settings_.weight_decay = static_cast<float>(train.weight_decay);
  settings_.grad_divisor = static_cast<float>(world_size);
  const bool fp16 = train.precision == "fp16";
  growth_interval_ = fp16 ? train.loss_scale_growth_interval : 0;
  const Device device = net.context().device();
  const Shape shape{static_cast<std::int64_t>(net.params().numel())};
  m_ = Tensor::empty(shape, DType::F32, device);
  v_ = Tensor::empty(shape, DType::F32, device);
  state_ = Tensor::empty({4}, DType::F32, device);
  const DeviceContext& ctx = net.context();
  ops::fill(ctx, m_, 0.0f);
  ops::fill(ctx, v_, 0.0f);
  from_host_floats(ctx, state_, {fp16 ? static_cast<float>(train.loss_scale_init) : 1.0f, 0.0f, 0.0f, 0.0f});
}

TensorView Optimizer::loss_scale() const {
  TensorView v = state_.view();
  v.shape = Shape{1};
  return v;
}

void Optimizer::step(float lr) {
  const DeviceContext& ctx = net_.context();
  const TensorView grads = net_.params().all_grad();
  ops::find_nonfinite(ctx, state_, grads);
  AdamSettings s = settings_;
  s.lr = lr;
  ops::adam_update(ctx, net_.params().all_master(), m_, v_, grads, state_, s);
  ops::update_step_state(ctx, state_, growth_interval_);
  net_.params().refresh_compute(ctx);
}

OptimizerState Optimizer::save() const {
  OptimizerState out;
  const DeviceContext& ctx = net_.context();
  out.m = to_host_floats(ctx, m_);
  out.v = to_host_floats(ctx, v_);
  const std::vector<float> st = to_host_floats(ctx, state_);
  std::copy(st.begin(), st.end(), out.step_state.begin());
  return out;
}

void Optimizer::restore(const OptimizerState& state) {
  const DeviceContext& ctx = net_.context();
  from_host_floats(ctx, m_, state.m);
  from_host_floats(ctx, v_, state.v);
  from_host_floats(ctx, state_, std::vector<float>(state.step_state.begin(), state.step_state.end()));
}

std::array<float, 4> Optimizer::step_state() const {
  const std::vector<float> st = to_host_floats(net_.context(), state_);
  return {st[0], st[1], st[2], st[3]};
}

}  // namespace pose
