// The network's layer ops, declared once for both backends (pose::cpu_ops, pose::cuda_ops) and
// for the checked front end (pose::ops, kernels/layer_ops.cpp), like op_signatures.h.
//
// Layout and types
//   Activations are NHWC: x, y, dx, dy are {N, H, W, C}. On the CPU every tensor is f32; on the
//   GPU activations and conv weights are f16 (f32 accumulation), while BN parameters and
//   statistics, biases, loss, targets and target weights stay f32 on both backends.
//   Convolution weights are {K, R, S, C} (output channels, kernel rows, kernel columns, input
//   channels): cuDNN's NHWC filter layout. A PyTorch Conv2d weight [K, C, R, S] is permuted to it.
//
// Overwrite/accumulate contract: every op overwrites its outputs, gradients included. Each
// parameter is used once per forward pass, so there is nothing to accumulate; a residual
// branch's input gradients are summed by the caller with ops::add.
//
// Transposed convolution (the deconv head) has no ops of its own: a transposed conv from x to y
// with weight W {Cx, R, S, Cy} (PyTorch ConvTranspose2d [Cx, Cy, R, S] permuted) is
//   forward:          conv_backward_data(y <- x)      (y plays dx, x plays dy)
//   input gradient:   conv_forward(dx <- dy)
//   weight gradient:  conv_backward_filter(dw, dy_of_conv = x, x_of_conv = dy)
// with the same ConvGeometry (kernel 4, stride 2, padding 1 for the head).
#pragma once

#include "core/device_context.h"
#include "core/tensor.h"

namespace pose {

// Square stride and symmetric zero padding; kernel size comes from the weight's shape.
struct ConvGeometry {
  int stride = 1;
  int pad = 0;
};

// Max pooling window (3x3, stride 2, padding 1 in ResNet); padding never wins the max.
struct PoolGeometry {
  int window = 3;
  int stride = 2;
  int pad = 1;
};

// Output size of a convolution or pooling along one axis.
inline std::int64_t conv_output_size(std::int64_t in, std::int64_t kernel, int stride, int pad) {
  return (in + 2 * pad - kernel) / stride + 1;
}

}  // namespace pose

#define POSE_LAYER_OP_SIGNATURES                                                              \
  /* y[n,ho,wo,k] = sum_{r,s,c} x[n, ho*stride-pad+r, wo*stride-pad+s, c] * w[k,r,s,c]   */    \
  void conv_forward(const DeviceContext& ctx, const TensorView& y, const TensorView& x,      \
                    const TensorView& w, ConvGeometry g);                                    \
  /* dx = gradient of conv_forward's y with respect to x, given dy */                        \
  void conv_backward_data(const DeviceContext& ctx, const TensorView& dx,                    \
                          const TensorView& dy, const TensorView& w, ConvGeometry g);        \
  /* dw = gradient of conv_forward's y with respect to w, given dy and x */                  \
  void conv_backward_filter(const DeviceContext& ctx, const TensorView& dw,                  \
                            const TensorView& dy, const TensorView& x, ConvGeometry g);      \
  /* y[n,h,w,c] += bias[c]  (bias f32 {C}; y f32 or f16, in place) */                        \
  void bias_add(const DeviceContext& ctx, const TensorView& y, const TensorView& bias);      \
  /* dbias[c] = sum_{n,h,w} dy[n,h,w,c]  (dbias f32 {C}) */                                  \
  void bias_backward(const DeviceContext& ctx, const TensorView& dbias,                      \
                     const TensorView& dy);                                                  \
  /* Training BN over N,H,W per channel: y = gamma * (x - mean) * invstd + beta with the     \
     batch mean and biased variance; saves mean and invstd = 1/sqrt(var + eps) for backward; \
     running = (1 - momentum) * running + momentum * batch (unbiased variance for var).      \
     gamma, beta, running_*, save_* are f32 {C}. */                                          \
  void batchnorm_forward_training(const DeviceContext& ctx, const TensorView& y,             \
                                  const TensorView& x, const TensorView& gamma,              \
                                  const TensorView& beta, const TensorView& running_mean,    \
                                  const TensorView& running_var, const TensorView& save_mean,\
                                  const TensorView& save_invstd, float momentum, float eps); \
  /* Evaluation BN: y = gamma * (x - running_mean) / sqrt(running_var + eps) + beta */        \
  void batchnorm_forward_inference(const DeviceContext& ctx, const TensorView& y,            \
                                   const TensorView& x, const TensorView& gamma,             \
                                   const TensorView& beta, const TensorView& running_mean,   \
                                   const TensorView& running_var, float eps);                \
  /* Gradients of the training forward: dx, dgamma, dbeta (f32 {C}) from dy, x, gamma and    \
     the saved batch statistics. */                                                          \
  void batchnorm_backward(const DeviceContext& ctx, const TensorView& dx,                    \
                          const TensorView& dgamma, const TensorView& dbeta,                 \
                          const TensorView& dy, const TensorView& x,                         \
                          const TensorView& gamma, const TensorView& save_mean,              \
                          const TensorView& save_invstd);                                    \
  /* The same three with a ReLU after the BN, one pass where the kernels allow it: y =      \
     max(BN(x), 0); backward takes dy of that ReLU's output y and leaves dy unchanged. */    \
  void batchnorm_relu_forward_training(const DeviceContext& ctx, const TensorView& y,        \
                                       const TensorView& x, const TensorView& gamma,         \
                                       const TensorView& beta,                               \
                                       const TensorView& running_mean,                       \
                                       const TensorView& running_var,                        \
                                       const TensorView& save_mean,                          \
                                       const TensorView& save_invstd, float momentum,        \
                                       float eps);                                           \
  void batchnorm_relu_forward_inference(const DeviceContext& ctx, const TensorView& y,       \
                                        const TensorView& x, const TensorView& gamma,        \
                                        const TensorView& beta,                              \
                                        const TensorView& running_mean,                      \
                                        const TensorView& running_var, float eps);           \
  void batchnorm_relu_backward(const DeviceContext& ctx, const TensorView& dx,               \
                               const TensorView& dgamma, const TensorView& dbeta,            \
                               const TensorView& dy, const TensorView& y,                    \
                               const TensorView& x, const TensorView& gamma,                 \
                               const TensorView& save_mean, const TensorView& save_invstd);  \
  /* y = max over each window (padding excluded) */                                          \
  void maxpool_forward(const DeviceContext& ctx, const TensorView& y, const TensorView& x,    \
                       PoolGeometry g);                                                      \
  /* dx: each window's dy goes to the first position (row-major in the window) holding its   \
     max; contributions of overlapping windows add up. */                                    \
  void maxpool_backward(const DeviceContext& ctx, const TensorView& dx,                      \
                        const TensorView& dy, const TensorView& x, PoolGeometry g);          \
  /* Joints MSE with target weights (docs/reference_behaviour.md section 4), over the first J = target's    \
     channel count of pred {N,h,w,Cp >= J} (channels beyond J are padding and ignored):      \
     loss {1} f32 = 0.5 * mean over N*h*w*J of (w[n,j] * (pred - target))^2.                 \
     target f32 {N,h,w,J}; weight f32 {N,J}. */                                              \
  void mse_loss_forward(const DeviceContext& ctx, const TensorView& loss,                    \
                        const TensorView& pred, const TensorView& target,                    \
                        const TensorView& weight);                                           \
  /* dpred = loss_scale * d(loss)/d(pred) = loss_scale * w^2 (pred - target) / (N*h*w*J);    \
     padding channels of dpred are zero. loss_scale is an f32 {1} tensor on the op's device   \
     (the optimiser's dynamic loss scale), read by the op so the host never waits for it. */ \
  void mse_loss_backward(const DeviceContext& ctx, const TensorView& dpred,                  \
                         const TensorView& pred, const TensorView& target,                   \
                         const TensorView& weight, const TensorView& loss_scale);

namespace pose::cpu_ops {
POSE_LAYER_OP_SIGNATURES
}  // namespace pose::cpu_ops

#if POSE_WITH_CUDA
namespace pose::cuda_ops {
POSE_LAYER_OP_SIGNATURES
}  // namespace pose::cuda_ops
#endif

namespace pose::ops {
POSE_LAYER_OP_SIGNATURES
}  // namespace pose::ops
