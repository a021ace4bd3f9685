// The CPU backend's convolution ops: oneDNN's primitives or the im2col reference, as
// kernels/cpu_conv.h says.
#include "kernels/cpu/conv_impls.h"
#include "kernels/cpu_conv.h"

namespace pose::cpu_ops {

#ifdef POSE_WITH_ONEDNN
#define POSE_CONV_DISPATCH(op, ...) \
  return cpu_conv() == CpuConv::Onednn ? onednn::op(__VA_ARGS__) : reference::op(__VA_ARGS__)
#else
#define POSE_CONV_DISPATCH(op, ...) return reference::op(__VA_ARGS__)
#endif

void conv_forward(const DeviceContext&, const TensorView& y, const TensorView& x,
                  const TensorView& w, ConvGeometry g) {
  POSE_CONV_DISPATCH(conv_forward, y, x, w, g);
}

void conv_backward_data(const DeviceContext&, const TensorView& dx, const TensorView& dy,
                        const TensorView& w, ConvGeometry g) {
  POSE_CONV_DISPATCH(conv_backward_data, dx, dy, w, g);
}

void conv_backward_filter(const DeviceContext&, const TensorView& dw, const TensorView& dy,
                          const TensorView& x, ConvGeometry g) {
  POSE_CONV_DISPATCH(conv_backward_filter, dw, dy, x, g);
}

#undef POSE_CONV_DISPATCH

}  // namespace pose::cpu_ops
