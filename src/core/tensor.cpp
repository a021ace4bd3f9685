#include "core/tensor.h"

#include "core/error.h"

namespace pose {

std::size_t dtype_size(DType dtype) { return dtype == DType::F32 ? 4 : 2; }

const char* to_string(DType dtype) { return dtype == DType::F32 ? "f32" : "f16"; }

const char* to_string(Device device) { return device == Device::CPU ? "cpu" : "cuda"; }

Shape::Shape(std::initializer_list<std::int64_t> dims) {
  POSE_CHECK(dims.size() <= static_cast<std::size_t>(kMaxRank), "a shape has at most ",
             kMaxRank, " dimensions, got ", dims.size());
  for (std::int64_t d : dims) {
    POSE_CHECK(d >= 0, "negative dimension ", d);
    dims_[rank_++] = d;
  }
}

std::int64_t Shape::operator[](int axis) const {
  POSE_CHECK(axis >= 0 && axis < rank_, "axis ", axis, " out of range for shape ", str());
  return dims_[axis];
}

std::int64_t Shape::numel() const {
  std::int64_t n = 1;
  for (int i = 0; i < rank_; ++i) n *= dims_[i];
  return rank_ == 0 ? 0 : n;
}

std::string Shape::str() const {
  std::string s = "[";
  for (int i = 0; i < rank_; ++i) s += (i ? ", " : "") + std::to_string(dims_[i]);
  return s + "]";
}

bool Shape::operator==(const Shape& other) const {
  if (rank_ != other.rank_) return false;
  for (int i = 0; i < rank_; ++i)
    if (dims_[i] != other.dims_[i]) return false;
  return true;
}

std::string TensorView::str() const {
  return cat(to_string(dtype), " ", to_string(device), " ", shape.str());
}

Tensor Tensor::allocate(const Shape& shape, DType dtype, Device device, MemoryKind kind) {
  Tensor t;
  t.view_.shape = shape;
  t.view_.dtype = dtype;
  t.view_.device = device;
  t.buffer_ = Buffer(t.view_.bytes(), kind);
  t.view_.data = t.buffer_.data();
  return t;
}

Tensor Tensor::empty(const Shape& shape, DType dtype, Device device) {
  return allocate(shape, dtype, device, device == Device::CPU ? MemoryKind::Host : MemoryKind::Device);
}

Tensor Tensor::pinned(const Shape& shape, DType dtype) {
  return allocate(shape, dtype, Device::CPU, MemoryKind::Pinned);
}

}  // namespace pose
