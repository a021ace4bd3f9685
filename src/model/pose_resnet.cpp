#include "model/pose_resnet.h"

#include "core/error.h"
#include "kernels/op_timer.h"
#include "kernels/ops.h"

namespace pose {

PoseResNet::PoseResNet(const PoseResNetSpec& spec, const DeviceContext& ctx, int batch, bool trainable)
    : spec_(spec),
      ctx_(ctx),
      batch_(batch),
      trainable_(trainable),
      act_dtype_(ctx.device() == Device::CUDA ? DType::F16 : DType::F32) {
  spec.validate();
  POSE_CHECK(batch > 0, "PoseResNet: batch ", batch, " must be positive");
  BuildContext b{params_, stats_, acts_, grads_, act_dtype_};
  input_ = b.value(Shape{batch, spec.input_height, spec.input_width, spec.input_channels});

  ConvBn::Options stem;
  stem.out_channels = spec.base_width;
  stem.kernel = 7;
  stem.geometry = ConvGeometry{2, 3};
  stem.input_grad = false;  // nothing before the first layer needs it
  stem_ = std::make_unique<ConvBn>(b, input_, "conv1.weight", "bn1", stem);
  pool_ = std::make_unique<MaxPool>(b, stem_->out(), PoolGeometry{3, 2, 1});

  const std::vector<int> blocks = spec.blocks_per_stage();
  Value x = pool_->out();
  for (std::size_t stage = 0; stage < blocks.size(); ++stage) {
    const int planes = spec.base_width << stage;
    for (int i = 0; i < blocks[stage]; ++i) {
      const int stride = stage > 0 && i == 0 ? 2 : 1;
      const std::string prefix = cat("layer", stage + 1, ".", i);
      blocks_.emplace_back(b, x, prefix, planes, stride, spec.bottleneck());
      x = blocks_.back().out();
    }
  }

  head_.reserve(spec.deconv_filters.size());
  for (std::size_t i = 0; i < spec.deconv_filters.size(); ++i) {
    const DeconvPadding padding = deconv_padding(spec.deconv_kernels[i]);
    ConvBn::Options o;
    o.out_channels = spec.deconv_filters[i];
    o.kernel = spec.deconv_kernels[i];
    o.geometry = ConvGeometry{2, padding.pad};
    o.transposed = true;
    o.output_padding = padding.output_padding;
    o.bias = spec.deconv_with_bias;
    // nn.Sequential numbering of the reference head: deconv 3i, BN 3i+1, ReLU 3i+2.
    head_.emplace_back(b, x, cat("deconv_layers.", 3 * i, ".weight"), cat("deconv_layers.", 3 * i + 1), o);
    x = head_.back().out();
  }
  final_ = std::make_unique<FinalConv>(b, x, "final_layer", spec.num_joints, spec.final_conv_kernel);
  POSE_CHECK(final_->out().shape[1] == spec.heatmap_height() && final_->out().shape[2] == spec.heatmap_width(),
             "PoseResNet: heatmaps are ", final_->out().shape.str(), ", expected ", spec.heatmap_height(), "x",
             spec.heatmap_width());

  params_.allocate(ctx, act_dtype_, /*with_grads=*/trainable);
  stats_.allocate(ctx, DType::F32, /*with_grads=*/false);
  acts_.allocate(ctx.device());
  if (trainable) grads_.allocate(ctx.device());
  if (act_dtype_ != DType::F32) input_f32_ = Tensor::empty(input_.shape, DType::F32, ctx.device());
}

TensorView PoseResNet::input() const { return acts_.view(input_.act); }

void PoseResNet::load_input(const TensorView& images) const {
  const op_timer::Scope timed(ctx_, "input upload");
  if (act_dtype_ == DType::F32) {
    transfer(ctx_, input(), images);
    return;
  }
  transfer(ctx_, input_f32_, images);
  ops::cast(ctx_, input(), input_f32_);
}
TensorView PoseResNet::heatmaps() const { return acts_.view(final_->out().act); }
TensorView PoseResNet::heatmaps_grad() const {
  POSE_CHECK(trainable_, "heatmaps_grad of an inference-only network");
  return grads_.view(final_->out().grad);
}

RunContext PoseResNet::run_context(bool training) const {
  return RunContext{ctx_, params_, stats_, acts_, grads_, training};
}

void PoseResNet::forward(bool training) const {
  const RunContext r = run_context(training);
  stem_->forward(r);
  pool_->forward(r);
  for (const ResidualBlock& block : blocks_) block.forward(r);
  for (const ConvBn& unit : head_) unit.forward(r);
  final_->forward(r);
}

void PoseResNet::backward(const std::function<void(std::size_t offset)>& on_ready) const {
  POSE_CHECK(trainable_, "backward of an inference-only network");
  const RunContext r = run_context(true);
  const auto ready_from = [&](ParamStore::Id first) {
    if (on_ready) on_ready(params_.info(first).offset);
  };
  final_->backward(r);
  ready_from(final_->first_param());
  for (auto unit = head_.rbegin(); unit != head_.rend(); ++unit) {
    unit->backward(r);
    ready_from(unit->first_param());
  }
  // A block's downsample is registered after its path but runs backward last: only the whole
  // block completes a contiguous range.
  for (auto block = blocks_.rbegin(); block != blocks_.rend(); ++block) {
    block->backward(r);
    ready_from(block->first_param());
  }
  pool_->backward(r);
  stem_->backward(r);
  ready_from(stem_->first_param());
}

}  // namespace pose
