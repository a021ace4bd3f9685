#include "model/residual_block.h"

#include "core/error.h"
#include "kernels/gpu_kernels.h"
#include "kernels/ops.h"

namespace pose {

ResidualBlock::ResidualBlock(BuildContext& b, const Value& in, const std::string& prefix, int planes,
                             int stride, bool bottleneck)
    : in_(in) {
  const int out_channels = planes * expansion(bottleneck);
  const std::int64_t n = in.shape[0];
  const std::int64_t ho = conv_output_size(in.shape[1], 3, stride, 1);
  const std::int64_t wo = conv_output_size(in.shape[2], 3, stride, 1);
  out_ = b.value(Shape{n, ho, wo, out_channels});

  // Kernel, stride and channels of each conv on the path; the last one has no ReLU of its own
  // and reads the block output's gradient.
  struct Step {
    int kernel, stride, channels;
  };
  const std::vector<Step> steps = bottleneck
                                      ? std::vector<Step>{{1, 1, planes}, {3, stride, planes}, {1, 1, out_channels}}
                                      : std::vector<Step>{{3, stride, planes}, {3, 1, out_channels}};
  path_.reserve(steps.size());
  Value x = in;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const bool last = i + 1 == steps.size();
    ConvBn::Options o;
    o.out_channels = steps[i].channels;
    o.kernel = steps[i].kernel;
    o.geometry = ConvGeometry{steps[i].stride, steps[i].kernel / 2};
    o.relu = !last;
    if (last) o.out_grad = out_.grad;
    const std::string n1 = std::to_string(i + 1);
    path_.emplace_back(b, x, prefix + ".conv" + n1 + ".weight", prefix + ".bn" + n1, o);
    x = path_.back().out();
  }
  POSE_CHECK(x.shape == out_.shape, prefix, ": path output ", x.shape.str(), " vs ", out_.shape.str());

  if (stride != 1 || in.shape[3] != out_channels) {
    shortcut_grad_ = b.grads.reserve(in.shape, b.act_dtype);
    ConvBn::Options o;
    o.out_channels = out_channels;
    o.kernel = 1;
    o.geometry = ConvGeometry{stride, 0};
    o.relu = false;
    o.out_grad = out_.grad;
    const Value shortcut_in{in.act, shortcut_grad_, in.shape};
    downsample_.emplace(b, shortcut_in, prefix + ".downsample.0.weight", prefix + ".downsample.1", o);
  }
}

void ResidualBlock::forward(const RunContext& r) const {
  for (const ConvBn& unit : path_) unit.forward(r);
  const TensorView y = r.act(out_);
  if (downsample_) downsample_->forward(r);
  const TensorView shortcut = downsample_ ? r.act(downsample_->out()) : r.act(in_);
  if (gpu_kernels() == GpuKernels::Fused) {
    ops::add_relu(r.device, y, r.act(path_.back().out()), shortcut);
  } else {
    ops::add(r.device, y, r.act(path_.back().out()), shortcut);
    ops::relu_forward(r.device, y, y);
  }
}

void ResidualBlock::backward(const RunContext& r) const {
  const TensorView dy = r.grad(out_), dx = r.grad(in_);
  ops::relu_backward(r.device, dy, dy, r.act(out_));
  for (auto unit = path_.rbegin(); unit != path_.rend(); ++unit) unit->backward(r);
  if (downsample_) {
    downsample_->backward(r);
    ops::add(r.device, dx, dx, r.grads.view(shortcut_grad_));
  } else {
    ops::add(r.device, dx, dx, dy);
  }
}

}  // namespace pose
