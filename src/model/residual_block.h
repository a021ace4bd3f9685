// ResNet's residual blocks, torchvision's convention (stride on the 3x3 conv):
//   basic       3x3 (stride) -> 3x3, expansion 1                   (ResNet-18/34)
//   bottleneck  1x1 -> 3x3 (stride) -> 1x1 x4 channels, expansion 4 (ResNet-50/101/152)
// out = relu(path(x) + shortcut(x)); the shortcut is a 1x1 conv + BN ("downsample") when the
// stride or the channel count changes, else the identity.
//
// Contract: as ConvBn; backward overwrites the input's gradient with the sum of both paths.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/conv_bn.h"

namespace pose {

class ResidualBlock {
 public:
  // prefix: the block's PyTorch module path, e.g. "layer2.0".
  ResidualBlock(BuildContext& b, const Value& in, const std::string& prefix, int planes, int stride,
                bool bottleneck);

  const Value& out() const { return out_; }
  void forward(const RunContext& r) const;
  void backward(const RunContext& r) const;

  static int expansion(bool bottleneck) { return bottleneck ? 4 : 1; }
  ParamStore::Id first_param() const { return path_.front().first_param(); }

 private:
  Value in_, out_;
  std::vector<ConvBn> path_;
  std::optional<ConvBn> downsample_;
  Arena::Slot shortcut_grad_ = 0;  // the downsample's input gradient, added to in_'s
};

}  // namespace pose
