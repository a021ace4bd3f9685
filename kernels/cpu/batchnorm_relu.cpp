// CPU twins of the fused BN + ReLU ops: exactly the unfused sequence (batch norm, then ReLU in
// place; backward: the ReLU mask into dx, then batch norm's backward reading dx as its dy,
// which batchnorm_backward allows).
#include "kernels/layer_op_signatures.h"
#include "kernels/op_signatures.h"

namespace pose::cpu_ops {

void batchnorm_relu_forward_training(const DeviceContext& ctx, const TensorView& y,
                                     const TensorView& x, const TensorView& gamma,
                                     const TensorView& beta, const TensorView& running_mean,
                                     const TensorView& running_var, const TensorView& save_mean,
                                     const TensorView& save_invstd, float momentum, float eps) {
  batchnorm_forward_training(ctx, y, x, gamma, beta, running_mean, running_var, save_mean,
                             save_invstd, momentum, eps);
  relu_forward(ctx, y, y);
}

void batchnorm_relu_forward_inference(const DeviceContext& ctx, const TensorView& y,
                                      const TensorView& x, const TensorView& gamma,
                                      const TensorView& beta, const TensorView& running_mean,
                                      const TensorView& running_var, float eps) {
  batchnorm_forward_inference(ctx, y, x, gamma, beta, running_mean, running_var, eps);
  relu_forward(ctx, y, y);
}

void batchnorm_relu_backward(const DeviceContext& ctx, const TensorView& dx,
                             const TensorView& dgamma, const TensorView& dbeta,
                             const TensorView& dy, const TensorView& y, const TensorView& x,
                             const TensorView& gamma, const TensorView& save_mean,
                             const TensorView& save_invstd) {
  relu_backward(ctx, dx, dy, y);
  batchnorm_backward(ctx, dx, dgamma, dbeta, dx, x, gamma, save_mean, save_invstd);
}

}  // namespace pose::cpu_ops
