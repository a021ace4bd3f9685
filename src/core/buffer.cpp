#include "core/buffer.h"

#include <cstdlib>
#include <new>
#include <utility>

#include "core/error.h"

namespace pose {
namespace {
constexpr std::size_t kHostAlignment = 64;  // a cache line; also enough for AVX-512 loads
}

Buffer::Buffer(std::size_t bytes, MemoryKind kind) : bytes_(bytes), kind_(kind) {
  if (bytes == 0) return;
  switch (kind) {
    case MemoryKind::Host: {
      const std::size_t rounded = (bytes + kHostAlignment - 1) / kHostAlignment * kHostAlignment;
      data_ = std::aligned_alloc(kHostAlignment, rounded);
      if (!data_) throw OutOfMemory(cat("out of host memory allocating ", bytes, " bytes"));
      break;
    }
    case MemoryKind::Pinned:
      data_ = allocate_pinned(bytes);
      break;
    case MemoryKind::Device:
      data_ = allocate_device(bytes);
      break;
  }
}

Buffer::Buffer(Buffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      bytes_(std::exchange(other.bytes_, 0)),
      kind_(other.kind_) {}

Buffer& Buffer::operator=(Buffer&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
    kind_ = other.kind_;
  }
  return *this;
}

Buffer::~Buffer() { release(); }

void Buffer::release() noexcept {
  if (!data_) return;
  switch (kind_) {
    case MemoryKind::Host: std::free(data_); break;
    case MemoryKind::Pinned: free_pinned(data_); break;
    case MemoryKind::Device: free_device(data_); break;
  }
  data_ = nullptr;
  bytes_ = 0;
}

}  // namespace pose
