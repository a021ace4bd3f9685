// The CPU convolution implementations behind cpu_ops::conv_* (kernels/cpu_conv.h chooses one):
// same arguments and contract as in layer_op_signatures.h, without the device context.
#pragma once

#include "core/tensor.h"
#include "kernels/layer_op_signatures.h"

namespace pose::cpu_ops {

#define POSE_CPU_CONV_IMPL_SIGNATURES                                                          \
  void conv_forward(const TensorView& y, const TensorView& x, const TensorView& w,            \
                    ConvGeometry g);                                                           \
  void conv_backward_data(const TensorView& dx, const TensorView& dy, const TensorView& w,    \
                          ConvGeometry g);                                                     \
  void conv_backward_filter(const TensorView& dw, const TensorView& dy, const TensorView& x,  \
                            ConvGeometry g);

namespace reference {
POSE_CPU_CONV_IMPL_SIGNATURES
}  // namespace reference

namespace onednn {  // defined only in builds with oneDNN (POSE_WITH_ONEDNN)
POSE_CPU_CONV_IMPL_SIGNATURES
}  // namespace onednn

#undef POSE_CPU_CONV_IMPL_SIGNATURES

}  // namespace pose::cpu_ops
