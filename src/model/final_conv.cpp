#include "model/final_conv.h"

#include "core/error.h"
#include "kernels/ops.h"

namespace pose {

FinalConv::FinalConv(BuildContext& b, const Value& in, const std::string& prefix, int out_channels,
                     int kernel)
    : in_(in), geometry_{1, kernel == 3 ? 1 : 0} {
  POSE_CHECK(kernel == 1 || kernel == 3, "final_conv_kernel must be 1 or 3, got ", kernel);
  weight_ = b.params.add(prefix + ".weight", ParamKind::ConvWeight, Shape{out_channels, kernel, kernel, in.shape[3]});
  bias_ = b.params.add(prefix + ".bias", ParamKind::Vector, Shape{out_channels});
  out_ = b.value(Shape{in.shape[0], in.shape[1], in.shape[2], out_channels});
}

void FinalConv::forward(const RunContext& r) const {
  const TensorView y = r.act(out_);
  ops::conv_forward(r.device, y, r.act(in_), r.params.weight(weight_), geometry_);
  ops::bias_add(r.device, y, r.params.master(bias_));
}

void FinalConv::backward(const RunContext& r) const {
  const TensorView dy = r.grad(out_);
  ops::bias_backward(r.device, r.params.grad(bias_), dy);
  ops::conv_backward_filter(r.device, r.params.weight_grad(weight_), dy, r.act(in_), geometry_);
  ops::conv_backward_data(r.device, r.grad(in_), dy, r.params.weight(weight_), geometry_);
  r.params.finish_grad(r.device, weight_);
}

}  // namespace pose
