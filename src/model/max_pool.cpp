#include "model/max_pool.h"

#include "kernels/ops.h"

namespace pose {

MaxPool::MaxPool(BuildContext& b, const Value& in, PoolGeometry geometry) : in_(in), geometry_(geometry) {
  const std::int64_t ho = conv_output_size(in.shape[1], geometry.window, geometry.stride, geometry.pad);
  const std::int64_t wo = conv_output_size(in.shape[2], geometry.window, geometry.stride, geometry.pad);
  out_ = b.value(Shape{in.shape[0], ho, wo, in.shape[3]});
}

void MaxPool::forward(const RunContext& r) const {
  ops::maxpool_forward(r.device, r.act(out_), r.act(in_), geometry_);
}

void MaxPool::backward(const RunContext& r) const {
  ops::maxpool_backward(r.device, r.grad(in_), r.grad(out_), r.act(in_), geometry_);
}

}  // namespace pose
