#include "model/conv_bn.h"

#include "core/error.h"
#include "kernels/gpu_kernels.h"
#include "kernels/ops.h"

namespace pose {
namespace {

// PyTorch's BatchNorm2d defaults, which the reference keeps.
constexpr float kBnMomentum = 0.1f;
constexpr float kBnEps = 1e-5f;

}  // namespace

ConvBn::ConvBn(BuildContext& b, const Value& in, const std::string& conv_name,
               const std::string& bn_prefix, const Options& options)
    : in_(in), options_(options) {
  const std::int64_t n = in.shape[0], h = in.shape[1], w = in.shape[2], c = in.shape[3];
  const std::int64_t k = options.out_channels, ks = options.kernel;
  const ConvGeometry g = options.geometry;
  std::int64_t ho = 0, wo = 0;
  if (options.transposed) {
    // The conv that runs backwards here maps the output size back to the input size.
    ho = (h - 1) * g.stride - 2 * g.pad + ks + options.output_padding;
    wo = (w - 1) * g.stride - 2 * g.pad + ks + options.output_padding;
    POSE_CHECK(conv_output_size(ho, ks, g.stride, g.pad) == h, conv_name, ": transposed geometry does not invert");
    weight_ = b.params.add(conv_name, ParamKind::DeconvWeight, Shape{c, ks, ks, k});
    if (options.bias) {
      const std::string prefix = conv_name.substr(0, conv_name.rfind('.'));
      bias_ = b.params.add(prefix + ".bias", ParamKind::Vector, Shape{k});
    }
  } else {
    ho = conv_output_size(h, ks, g.stride, g.pad);
    wo = conv_output_size(w, ks, g.stride, g.pad);
    weight_ = b.params.add(conv_name, ParamKind::ConvWeight, Shape{k, ks, ks, c});
  }
  POSE_CHECK(ho > 0 && wo > 0, conv_name, ": input ", in.shape.str(), " is too small");
  gamma_ = b.params.add(bn_prefix + ".weight", ParamKind::Vector, Shape{k});
  beta_ = b.params.add(bn_prefix + ".bias", ParamKind::Vector, Shape{k});
  running_mean_ = b.stats.add(bn_prefix + ".running_mean", ParamKind::Vector, Shape{k});
  running_var_ = b.stats.add(bn_prefix + ".running_var", ParamKind::Vector, Shape{k});
  conv_out_ = b.value(Shape{n, ho, wo, k});
  out_ = b.value(Shape{n, ho, wo, k});
  if (options.out_grad) out_.grad = *options.out_grad;
  save_mean_ = b.acts.reserve(Shape{k}, DType::F32);
  save_invstd_ = b.acts.reserve(Shape{k}, DType::F32);
}

void ConvBn::forward(const RunContext& r) const {
  const DeviceContext& ctx = r.device;
  const TensorView x = r.act(in_), z = r.act(conv_out_), y = r.act(out_);
  const TensorView w = r.params.weight(weight_);
  if (options_.transposed)
    ops::conv_backward_data(ctx, z, x, w, options_.geometry);
  else
    ops::conv_forward(ctx, z, x, w, options_.geometry);
  if (bias_) ops::bias_add(ctx, z, r.params.master(*bias_));
  const TensorView gamma = r.params.master(gamma_), beta = r.params.master(beta_);
  const TensorView mean = r.stats.master(running_mean_), var = r.stats.master(running_var_);
  const TensorView save_mean = r.acts.view(save_mean_), save_invstd = r.acts.view(save_invstd_);
  if (fused_relu()) {
    if (r.training)
      ops::batchnorm_relu_forward_training(ctx, y, z, gamma, beta, mean, var, save_mean, save_invstd,
                                           kBnMomentum, kBnEps);
    else
      ops::batchnorm_relu_forward_inference(ctx, y, z, gamma, beta, mean, var, kBnEps);
    return;
  }
  if (r.training)
    ops::batchnorm_forward_training(ctx, y, z, gamma, beta, mean, var, save_mean, save_invstd,
                                    kBnMomentum, kBnEps);
  else
    ops::batchnorm_forward_inference(ctx, y, z, gamma, beta, mean, var, kBnEps);
  if (options_.relu) ops::relu_forward(ctx, y, y);
}

bool ConvBn::fused_relu() const { return options_.relu && gpu_kernels() == GpuKernels::Fused; }

void ConvBn::backward(const RunContext& r) const {
  const DeviceContext& ctx = r.device;
  const TensorView dy = r.grad(out_), dz = r.grad(conv_out_);
  const TensorView dgamma = r.params.grad(gamma_), dbeta = r.params.grad(beta_), gamma = r.params.master(gamma_);
  const TensorView save_mean = r.acts.view(save_mean_), save_invstd = r.acts.view(save_invstd_);
  if (fused_relu()) {
    ops::batchnorm_relu_backward(ctx, dz, dgamma, dbeta, dy, r.act(out_), r.act(conv_out_), gamma, save_mean,
                                 save_invstd);
  } else {
    if (options_.relu) ops::relu_backward(ctx, dy, dy, r.act(out_));
    ops::batchnorm_backward(ctx, dz, dgamma, dbeta, dy, r.act(conv_out_), gamma, save_mean, save_invstd);
  }
  if (bias_) ops::bias_backward(ctx, r.params.grad(*bias_), dz);
  const TensorView x = r.act(in_), w = r.params.weight(weight_), dw = r.params.weight_grad(weight_);
  // For a transposed conv the roles of the two activations swap (kernels/layer_op_signatures.h).
  if (options_.transposed) {
    ops::conv_backward_filter(ctx, dw, x, dz, options_.geometry);
    if (options_.input_grad) ops::conv_forward(ctx, r.grad(in_), dz, w, options_.geometry);
  } else {
    ops::conv_backward_filter(ctx, dw, dz, x, options_.geometry);
    if (options_.input_grad) ops::conv_backward_data(ctx, r.grad(in_), dz, w, options_.geometry);
  }
  r.params.finish_grad(ctx, weight_);
}

}  // namespace pose
