#include "model/arena.h"

#include "core/error.h"

namespace pose {
namespace {

// 256 bytes keeps every tensor aligned for vectorised CUDA loads and cuDNN's preferences.
constexpr std::size_t kAlignment = 256;

std::size_t round_up(std::size_t n) { return (n + kAlignment - 1) / kAlignment * kAlignment; }

}  // namespace

Arena::Slot Arena::reserve(const Shape& shape, DType dtype) {
  POSE_CHECK(!done_, "Arena::reserve after allocate: plan every tensor first");
  entries_.push_back({shape, dtype, total_});
  total_ += round_up(static_cast<std::size_t>(shape.numel()) * dtype_size(dtype));
  return entries_.size() - 1;
}

void Arena::allocate(Device device) {
  POSE_CHECK(!done_, "Arena::allocate called twice");
  device_ = device;
  if (total_ > 0) buffer_ = Buffer(total_, device == Device::CPU ? MemoryKind::Host : MemoryKind::Device);
  done_ = true;
}

TensorView Arena::view(Slot slot) const {
  POSE_CHECK(done_, "Arena::view before allocate");
  POSE_CHECK(slot < entries_.size(), "Arena::view: no slot ", slot);
  const Entry& e = entries_[slot];
  TensorView v;
  v.data = static_cast<char*>(buffer_.data()) + e.offset;
  v.shape = e.shape;
  v.dtype = e.dtype;
  v.device = device_;
  return v;
}

}  // namespace pose
