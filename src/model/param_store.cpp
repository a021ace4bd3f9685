#include "model/param_store.h"

#include "core/error.h"
#include "kernels/op_timer.h"
#include "kernels/ops.h"

namespace pose {
namespace {

MemoryKind memory_for(Device device) {
  return device == Device::CPU ? MemoryKind::Host : MemoryKind::Device;
}

// Each tensor starts on a 64-element boundary so views stay aligned for vector loads.
std::size_t aligned(std::size_t n) { return (n + 63) / 64 * 64; }

}  // namespace

ParamStore::Id ParamStore::add(const std::string& name, ParamKind kind, const Shape& shape) {
  POSE_CHECK(!allocated_, "ParamStore::add('", name, "') after allocate");
  for (const ParamInfo& p : infos_) POSE_CHECK(p.name != name, "parameter '", name, "' added twice");
  ParamInfo info{name, kind, shape, numel_, compute_numel_};
  numel_ += aligned(static_cast<std::size_t>(shape.numel()));
  if (kind != ParamKind::Vector) compute_numel_ += aligned(static_cast<std::size_t>(shape.numel()));
  infos_.push_back(info);
  return infos_.size() - 1;
}

void ParamStore::allocate(const DeviceContext& ctx, DType compute_dtype, bool with_grads) {
  POSE_CHECK(!allocated_, "ParamStore::allocate called twice");
  const Device device = ctx.device();
  device_ = device;
  compute_dtype_ = compute_dtype;
  const MemoryKind kind = memory_for(device);
  master_ = Buffer(numel_ * sizeof(float), kind);
  if (with_grads) grad_ = Buffer(numel_ * sizeof(float), kind);
  if (compute_dtype != DType::F32 && compute_numel_ > 0) {
    compute_ = Buffer(compute_numel_ * dtype_size(compute_dtype), kind);
    if (with_grads) compute_grad_ = Buffer(compute_numel_ * dtype_size(compute_dtype), kind);
  }
  allocated_ = true;
  ops::fill(ctx, all_master(), 0.0f);
  if (with_grads) ops::fill(ctx, all_grad(), 0.0f);
}

TensorView ParamStore::slice(const Buffer& buffer, DType dtype, std::size_t offset,
                             const Shape& shape) const {
  POSE_CHECK(allocated_, "ParamStore used before allocate");
  POSE_CHECK(buffer.data() != nullptr || shape.numel() == 0, "ParamStore: buffer not allocated");
  TensorView v;
  v.data = static_cast<char*>(buffer.data()) + offset * dtype_size(dtype);
  v.shape = shape;
  v.dtype = dtype;
  v.device = device_;
  return v;
}

bool ParamStore::has_compute_copy(Id id) const {
  return compute_dtype_ != DType::F32 && infos_[id].kind != ParamKind::Vector;
}

TensorView ParamStore::master(Id id) const {
  return slice(master_, DType::F32, infos_[id].offset, infos_[id].shape);
}

TensorView ParamStore::grad(Id id) const {
  return slice(grad_, DType::F32, infos_[id].offset, infos_[id].shape);
}

TensorView ParamStore::weight(Id id) const {
  if (!has_compute_copy(id)) return master(id);
  return slice(compute_, compute_dtype_, infos_[id].compute_offset, infos_[id].shape);
}

TensorView ParamStore::weight_grad(Id id) const {
  if (!has_compute_copy(id)) return grad(id);
  return slice(compute_grad_, compute_dtype_, infos_[id].compute_offset, infos_[id].shape);
}

TensorView ParamStore::all_master() const {
  return slice(master_, DType::F32, 0, Shape{static_cast<std::int64_t>(numel_)});
}

TensorView ParamStore::all_grad() const {
  return slice(grad_, DType::F32, 0, Shape{static_cast<std::int64_t>(numel_)});
}

void ParamStore::finish_grad(const DeviceContext& ctx, Id id) const {
  const op_timer::Scope timed(ctx, "weight gradient f16 -> f32");
  if (has_compute_copy(id)) ops::cast(ctx, grad(id), weight_grad(id));
}

void ParamStore::refresh_compute(const DeviceContext& ctx) const {
  const op_timer::Scope timed(ctx, "weight refresh f32 -> f16");
  for (Id id = 0; id < infos_.size(); ++id)
    if (has_compute_copy(id)) ops::cast(ctx, weight(id), master(id));
}

}  // namespace pose
