// Arena: one allocation holding many tensors, planned before it exists. Code that builds a
// network reserves each tensor (shape and dtype) and keeps the returned slot; allocate() then
// makes the single buffer and view(slot) gives the tensor. Reserving after allocate() is an
// error, so every size is fixed once per batch shape.
#pragma once

#include <cstddef>
#include <vector>

#include "core/buffer.h"
#include "core/tensor.h"

namespace pose {

class Arena {
 public:
  using Slot = std::size_t;

  Slot reserve(const Shape& shape, DType dtype);
  // Makes the buffer on `device` (host memory for the CPU); the contents are unspecified.
  void allocate(Device device);

  TensorView view(Slot slot) const;
  std::size_t bytes() const { return total_; }

 private:
  struct Entry {
    Shape shape;
    DType dtype;
    std::size_t offset;
  };
  std::vector<Entry> entries_;
  std::size_t total_ = 0;
  Device device_ = Device::CPU;
  bool done_ = false;
  Buffer buffer_;
};

}  // namespace pose
