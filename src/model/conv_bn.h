// ConvBn: convolution (or transposed convolution) without bias, batch normalisation, and an
// optional ReLU: the unit ResNet and the deconv head are made of.
//
// Contract: forward reads the input Value and writes conv_out and out; backward reads out's
// gradient (which the caller may point at a shared slot, see Options::out_grad), overwrites
// the input's gradient (unless Options::input_grad is false) and the unit's parameter
// gradients. Training forward updates the BN running statistics; evaluation uses them.
#pragma once

#include <optional>
#include <string>

#include "kernels/layer_op_signatures.h"
#include "model/net_context.h"

namespace pose {

class ConvBn {
 public:
  struct Options {
    int out_channels = 0;
    int kernel = 3;
    ConvGeometry geometry{};
    bool transposed = false;  // a deconvolution of the head
    int output_padding = 0;   // transposed only: extra output rows/columns (kernel 3 needs 1)
    bool bias = false;        // transposed only: the head's deconv_with_bias
    bool relu = true;
    bool input_grad = true;                // false for the first layer (nothing to send back)
    std::optional<Arena::Slot> out_grad;   // read dy from this slot instead of out's own
  };

  // conv_name: the conv weight's PyTorch key ("layer1.0.conv1.weight"); bn_prefix: the BN's
  // module path ("layer1.0.bn1"), whose .weight/.bias/.running_mean/.running_var it owns.
  ConvBn(BuildContext& b, const Value& in, const std::string& conv_name,
         const std::string& bn_prefix, const Options& options);

  const Value& out() const { return out_; }
  void forward(const RunContext& r) const;
  void backward(const RunContext& r) const;
  ParamStore::Id first_param() const { return weight_; }  // registered before the unit's others

 private:
  // The BN + ReLU pair runs as one fused op (kernels/gpu_kernels.h: the fused kernel set).
  bool fused_relu() const;

  Value in_, conv_out_, out_;
  ParamStore::Id weight_, gamma_, beta_;
  std::optional<ParamStore::Id> bias_;
  ParamStore::Id running_mean_, running_var_;
  Arena::Slot save_mean_, save_invstd_;
  Options options_;
};

}  // namespace pose
