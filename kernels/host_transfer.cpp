#include "kernels/host_transfer.h"

#include "core/error.h"
#include "kernels/ops.h"

namespace pose {
namespace {

// A host view of `values` shaped like t, in f32.
TensorView host_view(const TensorView& t, const float* values) {
  TensorView v = t;
  v.data = const_cast<float*>(values);
  v.dtype = DType::F32;
  v.device = Device::CPU;
  return v;
}

}  // namespace

std::vector<float> to_host_floats(const DeviceContext& ctx, const TensorView& t) {
  std::vector<float> out(static_cast<std::size_t>(t.numel()));
  Tensor widened;
  TensorView source = t;
  if (t.dtype != DType::F32) {
    widened = Tensor::empty(t.shape, DType::F32, t.device);
    ops::cast(ctx, widened, t);
    source = widened.view();
  }
  transfer(ctx, host_view(t, out.data()), source);
  ctx.synchronize();
  return out;
}

void from_host_floats(const DeviceContext& ctx, const TensorView& t, const std::vector<float>& values) {
  POSE_CHECK(values.size() == static_cast<std::size_t>(t.numel()), "from_host_floats: ", values.size(),
             " values for ", t.str());
  if (t.dtype == DType::F32) {
    transfer(ctx, t, host_view(t, values.data()));
  } else {
    Tensor staged = Tensor::empty(t.shape, DType::F32, t.device);
    transfer(ctx, staged, host_view(t, values.data()));
    ops::cast(ctx, t, staged);
  }
  ctx.synchronize();
}

}  // namespace pose
