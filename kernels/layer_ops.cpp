// pose::ops for the layer ops: check every argument once (device, dtype, NHWC shapes that agree
// with each other and with the geometry), then run the CPU or CUDA implementation.
// Semantics: kernels/layer_op_signatures.h.
#include <initializer_list>
#include <string>

#include "kernels/layer_op_signatures.h"
#include "kernels/op_checks.h"
#include "kernels/op_timer.h"

namespace pose::ops {
namespace {

// A tensor argument and the name the signature gives it, for messages.
struct Arg {
  const TensorView& t;
  const char* name;
};

void check_devices(const DeviceContext& ctx, const char* op, std::initializer_list<Arg> args) {
  for (const Arg& a : args) op_checks::expect_on_device(ctx, a.t, op, a.name);
}

// Activations and conv weights: f32 on the CPU; f32 or f16 on a GPU, one dtype for all of them.
void check_compute_dtypes(const DeviceContext& ctx, const char* op,
                          std::initializer_list<Arg> args) {
  const Arg& first = *args.begin();
  for (const Arg& a : args) {
    if (ctx.device() == Device::CPU)
      POSE_CHECK(a.t.dtype == DType::F32, op, ": ", a.name, " must be f32 on the CPU, got ",
                 a.t.str());
    POSE_CHECK(a.t.dtype == first.t.dtype, op, ": ", a.name, " is ", a.t.str(), " but ",
               first.name, " is ", first.t.str(), "; they must share a dtype");
  }
}

void check_f32(const char* op, const Arg& a) {
  POSE_CHECK(a.t.dtype == DType::F32, op, ": ", a.name, " must be f32, got ", a.t.str());
}

void check_rank4(const char* op, const Arg& a, const char* layout) {
  POSE_CHECK(a.t.shape.rank() == 4, op, ": ", a.name, " must be ", layout, ", got ", a.t.str());
}

// `because` says where the expected shape comes from.
void check_shape(const char* op, const Arg& a, const Shape& expected, const std::string& because) {
  POSE_CHECK(a.t.shape == expected, op, ": ", a.name, " is ", a.t.shape.str(), ", expected ",
             expected.str(), " (", because, ")");
}

// A per-channel f32 vector {C} belonging to the NHWC tensor `of`.
void check_channel_vector(const char* op, const Arg& v, const Arg& of) {
  check_f32(op, v);
  check_shape(op, v, Shape{of.t.shape[3]}, cat("channels of ", of.name, " ", of.t.shape.str()));
}

// Output size along one axis; the input (plus padding) must hold at least one window.
std::int64_t output_size(const char* op, const Arg& in, int axis, std::int64_t kernel,
                         int stride, int pad) {
  const std::int64_t size = in.t.shape[axis];
  POSE_CHECK(size + 2 * pad >= kernel, op, ": ", in.name, " ", in.t.shape.str(),
             " with padding ", pad, " is smaller than the window ", kernel);
  return conv_output_size(size, kernel, stride, pad);
}

// y {N,Ho,Wo,K} = conv(x {N,H,W,C}, w {K,R,S,C}); the same relation holds between the
// arguments of both backward ops, so all three conv ops share this check.
bool check_conv(const DeviceContext& ctx, const char* op, const Arg& y, const Arg& x,
                const Arg& w, ConvGeometry g) {
  check_devices(ctx, op, {y, x, w});
  check_compute_dtypes(ctx, op, {y, x, w});
  check_rank4(op, x, "NHWC");
  check_rank4(op, y, "NHWC");
  check_rank4(op, w, "{K, R, S, C}");
  POSE_CHECK(g.stride >= 1 && g.pad >= 0, op, ": stride must be >= 1 and pad >= 0, got stride ",
             g.stride, ", pad ", g.pad);
  POSE_CHECK(w.t.shape[3] == x.t.shape[3], op, ": ", w.name, " ", w.t.shape.str(), " has ",
             w.t.shape[3], " input channels but ", x.name, " ", x.t.shape.str(), " has ",
             x.t.shape[3]);
  const Shape expected{x.t.shape[0], output_size(op, x, 1, w.t.shape[1], g.stride, g.pad),
                       output_size(op, x, 2, w.t.shape[2], g.stride, g.pad), w.t.shape[0]};
  check_shape(op, y, expected,
              cat("from ", x.name, " ", x.t.shape.str(), " and ", w.name, " ", w.t.shape.str(),
                  " with stride ", g.stride, ", pad ", g.pad));
  return op_checks::runs_on_cuda(ctx, op);
}

bool check_bias(const DeviceContext& ctx, const char* op, const Arg& bias, const Arg& y) {
  check_devices(ctx, op, {bias, y});
  check_compute_dtypes(ctx, op, {y});
  check_rank4(op, y, "NHWC");
  check_channel_vector(op, bias, y);
  return op_checks::runs_on_cuda(ctx, op);
}

// x and the tensors shaped like it (y, dx, dy) in one compute dtype; per-channel f32 vectors.
bool check_batchnorm(const DeviceContext& ctx, const char* op, const Arg& x,
                     std::initializer_list<Arg> like_x, std::initializer_list<Arg> per_channel) {
  check_devices(ctx, op, {x});
  check_devices(ctx, op, like_x);
  check_devices(ctx, op, per_channel);
  check_rank4(op, x, "NHWC");
  for (const Arg& a : like_x) {
    check_compute_dtypes(ctx, op, {x, a});
    check_shape(op, a, x.t.shape, cat("the shape of ", x.name));
  }
  for (const Arg& v : per_channel) check_channel_vector(op, v, x);
  return op_checks::runs_on_cuda(ctx, op);
}

void check_eps(const char* op, float eps) {
  POSE_CHECK(eps > 0.0f, op, ": eps must be positive, got ", eps);
}

bool check_bn_training(const DeviceContext& ctx, const char* op, const TensorView& y,
                       const TensorView& x, const TensorView& gamma, const TensorView& beta,
                       const TensorView& running_mean, const TensorView& running_var,
                       const TensorView& save_mean, const TensorView& save_invstd, float momentum,
                       float eps) {
  const bool cuda = check_batchnorm(
      ctx, op, {x, "x"}, {{y, "y"}},
      {{gamma, "gamma"}, {beta, "beta"}, {running_mean, "running_mean"},
       {running_var, "running_var"}, {save_mean, "save_mean"}, {save_invstd, "save_invstd"}});
  check_eps(op, eps);
  POSE_CHECK(momentum >= 0.0f && momentum <= 1.0f, op, ": momentum must be in [0, 1], got ",
             momentum);
  // The unbiased variance of the running update divides by count - 1 (PyTorch refuses too).
  POSE_CHECK(x.numel() / x.shape[3] > 1, op, ": x ", x.shape.str(),
             " has one value per channel; batch statistics need more than one");
  return cuda;
}

bool check_bn_inference(const DeviceContext& ctx, const char* op, const TensorView& y,
                        const TensorView& x, const TensorView& gamma, const TensorView& beta,
                        const TensorView& running_mean, const TensorView& running_var, float eps) {
  const bool cuda = check_batchnorm(ctx, op, {x, "x"}, {{y, "y"}},
                                    {{gamma, "gamma"}, {beta, "beta"},
                                     {running_mean, "running_mean"},
                                     {running_var, "running_var"}});
  check_eps(op, eps);
  return cuda;
}

bool check_pool(const DeviceContext& ctx, const char* op, const Arg& y, const Arg& x,
                std::initializer_list<Arg> like_x, PoolGeometry g) {
  check_devices(ctx, op, {y, x});
  check_devices(ctx, op, like_x);
  check_compute_dtypes(ctx, op, {y, x});
  check_rank4(op, x, "NHWC");
  // PyTorch's limit; it also guarantees every window overlaps the image.
  POSE_CHECK(g.window >= 1 && g.stride >= 1 && g.pad >= 0 && g.pad <= g.window / 2, op,
             ": window ", g.window, ", stride ", g.stride, ", pad ", g.pad,
             " is invalid (need window, stride >= 1 and 0 <= pad <= window / 2)");
  const Shape expected{x.t.shape[0], output_size(op, x, 1, g.window, g.stride, g.pad),
                       output_size(op, x, 2, g.window, g.stride, g.pad), x.t.shape[3]};
  check_shape(op, y, expected,
              cat("from ", x.name, " ", x.t.shape.str(), " with window ", g.window,
                  ", stride ", g.stride, ", pad ", g.pad));
  for (const Arg& a : like_x) {
    check_compute_dtypes(ctx, op, {x, a});
    check_shape(op, a, x.t.shape, cat("the shape of ", x.name));
  }
  return op_checks::runs_on_cuda(ctx, op);
}

// pred {N,h,w,Cp} (and dpred like it), target f32 {N,h,w,J} with 1 <= J <= Cp, weight f32 {N,J}.
bool check_mse(const DeviceContext& ctx, const char* op, const Arg& out, const Arg& pred,
               const Arg& target, const Arg& weight) {
  check_devices(ctx, op, {out, pred, target, weight});
  check_compute_dtypes(ctx, op, {pred});
  check_f32(op, target);
  check_f32(op, weight);
  check_rank4(op, pred, "NHWC");
  check_rank4(op, target, "NHWC");
  const Shape& p = pred.t.shape;
  const std::int64_t joints = target.t.shape[3];
  POSE_CHECK(joints >= 1 && joints <= p[3], op, ": ", target.name, " ", target.t.shape.str(),
             " must have between 1 and ", pred.name, "'s ", p[3], " channels (", pred.name, " ",
             p.str(), ")");
  check_shape(op, target, Shape{p[0], p[1], p[2], joints}, cat("from ", pred.name, " ", p.str()));
  check_shape(op, weight, Shape{p[0], joints},
              cat("one per image and joint of ", target.name, " ", target.t.shape.str()));
  return op_checks::runs_on_cuda(ctx, op);
}

// "conv_forward 3x3/2": op, kernel size and stride, the classes of the per-op time table (the
// deconv head's forward is "conv_backward_data 4x4/2"). Only built while timing is on.
std::string conv_label(const char* op, const TensorView& w, ConvGeometry g) {
  if (!op_timer::enabled()) return {};
  return cat(op, " ", w.shape[1], "x", w.shape[2], g.stride > 1 ? cat("/", g.stride) : std::string());
}

}  // namespace

void conv_forward(const DeviceContext& ctx, const TensorView& y, const TensorView& x,
                  const TensorView& w, ConvGeometry g) {
  const op_timer::Scope timed(ctx, conv_label("conv_forward", w, g));
  POSE_RUN(check_conv(ctx, "conv_forward", {y, "y"}, {x, "x"}, {w, "w"}, g),
           conv_forward(ctx, y, x, w, g));
}

void conv_backward_data(const DeviceContext& ctx, const TensorView& dx, const TensorView& dy,
                        const TensorView& w, ConvGeometry g) {
  const op_timer::Scope timed(ctx, conv_label("conv_backward_data", w, g));
  POSE_RUN(check_conv(ctx, "conv_backward_data", {dy, "dy"}, {dx, "dx"}, {w, "w"}, g),
           conv_backward_data(ctx, dx, dy, w, g));
}

void conv_backward_filter(const DeviceContext& ctx, const TensorView& dw, const TensorView& dy,
                          const TensorView& x, ConvGeometry g) {
  const op_timer::Scope timed(ctx, conv_label("conv_backward_filter", dw, g));
  POSE_RUN(check_conv(ctx, "conv_backward_filter", {dy, "dy"}, {x, "x"}, {dw, "dw"}, g),
           conv_backward_filter(ctx, dw, dy, x, g));
}

void bias_add(const DeviceContext& ctx, const TensorView& y, const TensorView& bias) {
  const op_timer::Scope timed(ctx, "bias_add");
  POSE_RUN(check_bias(ctx, "bias_add", {bias, "bias"}, {y, "y"}), bias_add(ctx, y, bias));
}

void bias_backward(const DeviceContext& ctx, const TensorView& dbias, const TensorView& dy) {
  const op_timer::Scope timed(ctx, "bias_backward");
  POSE_RUN(check_bias(ctx, "bias_backward", {dbias, "dbias"}, {dy, "dy"}),
           bias_backward(ctx, dbias, dy));
}

void batchnorm_forward_training(const DeviceContext& ctx, const TensorView& y,
                                const TensorView& x, const TensorView& gamma,
                                const TensorView& beta, const TensorView& running_mean,
                                const TensorView& running_var, const TensorView& save_mean,
                                const TensorView& save_invstd, float momentum, float eps) {
  const char* op = "batchnorm_forward_training";
  const op_timer::Scope timed(ctx, op);
  POSE_RUN(check_bn_training(ctx, op, y, x, gamma, beta, running_mean, running_var, save_mean,
                             save_invstd, momentum, eps),
           batchnorm_forward_training(ctx, y, x, gamma, beta, running_mean, running_var, save_mean,
                                      save_invstd, momentum, eps));
}

void batchnorm_relu_forward_training(const DeviceContext& ctx, const TensorView& y,
                                     const TensorView& x, const TensorView& gamma,
                                     const TensorView& beta, const TensorView& running_mean,
                                     const TensorView& running_var, const TensorView& save_mean,
                                     const TensorView& save_invstd, float momentum, float eps) {
  const char* op = "batchnorm_relu_forward_training";
  const op_timer::Scope timed(ctx, op);
  POSE_RUN(check_bn_training(ctx, op, y, x, gamma, beta, running_mean, running_var, save_mean,
                             save_invstd, momentum, eps),
           batchnorm_relu_forward_training(ctx, y, x, gamma, beta, running_mean, running_var,
                                           save_mean, save_invstd, momentum, eps));
}

void batchnorm_forward_inference(const DeviceContext& ctx, const TensorView& y,
                                 const TensorView& x, const TensorView& gamma,
                                 const TensorView& beta, const TensorView& running_mean,
                                 const TensorView& running_var, float eps) {
  const char* op = "batchnorm_forward_inference";
  const op_timer::Scope timed(ctx, op);
  POSE_RUN(check_bn_inference(ctx, op, y, x, gamma, beta, running_mean, running_var, eps),
           batchnorm_forward_inference(ctx, y, x, gamma, beta, running_mean, running_var, eps));
}

void batchnorm_relu_forward_inference(const DeviceContext& ctx, const TensorView& y,
                                      const TensorView& x, const TensorView& gamma,
                                      const TensorView& beta, const TensorView& running_mean,
                                      const TensorView& running_var, float eps) {
  const char* op = "batchnorm_relu_forward_inference";
  const op_timer::Scope timed(ctx, op);
  POSE_RUN(check_bn_inference(ctx, op, y, x, gamma, beta, running_mean, running_var, eps),
           batchnorm_relu_forward_inference(ctx, y, x, gamma, beta, running_mean, running_var, eps));
}

void batchnorm_backward(const DeviceContext& ctx, const TensorView& dx, const TensorView& dgamma,
                        const TensorView& dbeta, const TensorView& dy, const TensorView& x,
                        const TensorView& gamma, const TensorView& save_mean,
                        const TensorView& save_invstd) {
  const op_timer::Scope timed(ctx, "batchnorm_backward");
  POSE_RUN(check_batchnorm(ctx, "batchnorm_backward", {x, "x"}, {{dx, "dx"}, {dy, "dy"}},
                           {{dgamma, "dgamma"}, {dbeta, "dbeta"}, {gamma, "gamma"},
                            {save_mean, "save_mean"}, {save_invstd, "save_invstd"}}),
           batchnorm_backward(ctx, dx, dgamma, dbeta, dy, x, gamma, save_mean, save_invstd));
}

void batchnorm_relu_backward(const DeviceContext& ctx, const TensorView& dx,
                             const TensorView& dgamma, const TensorView& dbeta,
                             const TensorView& dy, const TensorView& y, const TensorView& x,
                             const TensorView& gamma, const TensorView& save_mean,
                             const TensorView& save_invstd) {
  const op_timer::Scope timed(ctx, "batchnorm_relu_backward");
  POSE_RUN(check_batchnorm(ctx, "batchnorm_relu_backward", {x, "x"}, {{dx, "dx"}, {dy, "dy"}, {y, "y"}},
                           {{dgamma, "dgamma"}, {dbeta, "dbeta"}, {gamma, "gamma"},
                            {save_mean, "save_mean"}, {save_invstd, "save_invstd"}}),
           batchnorm_relu_backward(ctx, dx, dgamma, dbeta, dy, y, x, gamma, save_mean, save_invstd));
}

void maxpool_forward(const DeviceContext& ctx, const TensorView& y, const TensorView& x,
                     PoolGeometry g) {
  const op_timer::Scope timed(ctx, "maxpool_forward");
  POSE_RUN(check_pool(ctx, "maxpool_forward", {y, "y"}, {x, "x"}, {}, g),
           maxpool_forward(ctx, y, x, g));
}

void maxpool_backward(const DeviceContext& ctx, const TensorView& dx, const TensorView& dy,
                      const TensorView& x, PoolGeometry g) {
  const op_timer::Scope timed(ctx, "maxpool_backward");
  POSE_RUN(check_pool(ctx, "maxpool_backward", {dy, "dy"}, {x, "x"}, {{dx, "dx"}}, g),
           maxpool_backward(ctx, dx, dy, x, g));
}

void mse_loss_forward(const DeviceContext& ctx, const TensorView& loss, const TensorView& pred,
                      const TensorView& target, const TensorView& weight) {
  const op_timer::Scope timed(ctx, "mse_loss_forward");
  const char* op = "mse_loss_forward";
  const bool cuda = check_mse(ctx, op, {loss, "loss"}, {pred, "pred"}, {target, "target"},
                              {weight, "weight"});
  check_f32(op, {loss, "loss"});
  check_shape(op, {loss, "loss"}, Shape{1}, "a scalar");
  POSE_RUN(cuda, mse_loss_forward(ctx, loss, pred, target, weight));
}

void mse_loss_backward(const DeviceContext& ctx, const TensorView& dpred, const TensorView& pred,
                       const TensorView& target, const TensorView& weight, const TensorView& loss_scale) {
  const op_timer::Scope timed(ctx, "mse_loss_backward");
  const char* op = "mse_loss_backward";
  const bool cuda = check_mse(ctx, op, {dpred, "dpred"}, {pred, "pred"}, {target, "target"},
                              {weight, "weight"});
  op_checks::expect_on_device(ctx, loss_scale, op, "loss_scale");
  check_f32(op, {loss_scale, "loss_scale"});
  check_shape(op, {loss_scale, "loss_scale"}, Shape{1}, "a scalar");
  check_compute_dtypes(ctx, op, {{pred, "pred"}, {dpred, "dpred"}});
  check_shape(op, {dpred, "dpred"}, pred.shape, "the shape of pred");
  POSE_RUN(cuda, mse_loss_backward(ctx, dpred, pred, target, weight, loss_scale));
}

#undef POSE_RUN

}  // namespace pose::ops
