// MaxPool: the stem's 3x3 stride-2 max pooling (padding 1).
// Contract: forward writes out; backward overwrites the input's gradient.
#pragma once

#include "kernels/layer_op_signatures.h"
#include "model/net_context.h"

namespace pose {

class MaxPool {
 public:
  MaxPool(BuildContext& b, const Value& in, PoolGeometry geometry);
  const Value& out() const { return out_; }
  void forward(const RunContext& r) const;
  void backward(const RunContext& r) const;

 private:
  Value in_, out_;
  PoolGeometry geometry_;
};

}  // namespace pose
