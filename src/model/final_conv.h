// FinalConv: the head's last layer, a convolution with bias and no normalisation or
// activation, producing one heatmap per joint ("final_layer" in the reference).
// Contract: forward writes out; backward overwrites the input's gradient and the weight and
// bias gradients.
#pragma once

#include <string>

#include "kernels/layer_op_signatures.h"
#include "model/net_context.h"

namespace pose {

class FinalConv {
 public:
  FinalConv(BuildContext& b, const Value& in, const std::string& prefix, int out_channels, int kernel);
  const Value& out() const { return out_; }
  void forward(const RunContext& r) const;
  void backward(const RunContext& r) const;
  ParamStore::Id first_param() const { return weight_; }

 private:
  Value in_, out_;
  ParamStore::Id weight_, bias_;
  ConvGeometry geometry_;
};

}  // namespace pose
