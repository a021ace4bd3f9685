// CPU twins of the fused BN + ReLU ops: exactly what the unfused sequence computes (batch norm,
// then ReLU in place; backward: batch norm's backward of the ReLU-masked gradient, the mask
// applied as each value is read instead of in a pass of its own).
#include "kernels/cpu/batchnorm_masked.h"
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

void batchnorm_relu_backward(const DeviceContext&, const TensorView& dx,
                             const TensorView& dgamma, const TensorView& dbeta,
                             const TensorView& dy, const TensorView& y, const TensorView& x,
                             const TensorView& gamma, const TensorView& save_mean,
                             const TensorView& save_invstd) {
  batchnorm_backward_masked(dx, dgamma, dbeta, dy, y.as<const float>(), x, gamma, save_mean,
                            save_invstd);
}

}  // namespace pose::cpu_ops
