// Tensors: a shape, an element type, a device and a pointer. Layout is NHWC for images and
// activations (shape {N, H, W, C}); other ranks (1-D flat buffers, 2-D matrices) are allowed.
//
// TensorView  non-owning, cheap to copy; what ops and layers take.
// Tensor      owns its memory (a Buffer) and hands out views.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>

#include "core/buffer.h"

namespace pose {

enum class DType : std::uint8_t { F32, F16 };
enum class Device : std::uint8_t { CPU, CUDA };

std::size_t dtype_size(DType dtype);
const char* to_string(DType dtype);
const char* to_string(Device device);

class Shape {
 public:
  static constexpr int kMaxRank = 4;

  Shape() = default;
  Shape(std::initializer_list<std::int64_t> dims);

  int rank() const { return rank_; }
  std::int64_t operator[](int axis) const;
  std::int64_t numel() const;
  std::string str() const;  // "[2, 64, 48, 17]"

  bool operator==(const Shape& other) const;
  bool operator!=(const Shape& other) const { return !(*this == other); }

 private:
  std::array<std::int64_t, kMaxRank> dims_{};
  int rank_ = 0;
};

struct TensorView {
  void* data = nullptr;
  Shape shape;
  DType dtype = DType::F32;
  Device device = Device::CPU;

  std::int64_t numel() const { return shape.numel(); }
  std::size_t bytes() const { return static_cast<std::size_t>(numel()) * dtype_size(dtype); }
  std::string str() const;  // "f32 cuda [2, 64, 48, 17]"

  template <typename T>
  T* as() const { return static_cast<T*>(data); }
};

class Tensor {
 public:
  Tensor() = default;
  // Uninitialised memory on `device` (host memory for CPU, device memory for CUDA).
  static Tensor empty(const Shape& shape, DType dtype, Device device);
  // Uninitialised page-locked host memory (a CPU tensor that copies to a GPU asynchronously
  // and fast; needs the CUDA backend).
  static Tensor pinned(const Shape& shape, DType dtype);

  const TensorView& view() const { return view_; }
  operator const TensorView&() const { return view_; }  // NOLINT: a Tensor is usable as its view
  const Shape& shape() const { return view_.shape; }
  DType dtype() const { return view_.dtype; }
  Device device() const { return view_.device; }
  std::int64_t numel() const { return view_.numel(); }
  std::size_t bytes() const { return view_.bytes(); }
  template <typename T>
  T* data() const { return view_.as<T>(); }

 private:
  static Tensor allocate(const Shape& shape, DType dtype, Device device, MemoryKind kind);

  Buffer buffer_;
  TensorView view_;
};

}  // namespace pose
