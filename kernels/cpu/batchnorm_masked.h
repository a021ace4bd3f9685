// Batch norm's backward with the ReLU that follows it folded in: the CPU op behind both
// batchnorm_backward (relu_out null) and the fused batchnorm_relu_backward (kernels/cpu/).
#pragma once

#include "core/tensor.h"

namespace pose::cpu_ops {

// batchnorm_backward's contract, with dy replaced by 0 wherever relu_out (the ReLU's output,
// laid out as x) is not positive, when relu_out is given. dx may be dy.
void batchnorm_backward_masked(const TensorView& dx, const TensorView& dgamma,
                               const TensorView& dbeta, const TensorView& dy, const float* relu_out,
                               const TensorView& x, const TensorView& gamma,
                               const TensorView& save_mean, const TensorView& save_invstd);

}  // namespace pose::cpu_ops
