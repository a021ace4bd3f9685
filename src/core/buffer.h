// Buffer: RAII ownership of raw bytes in one of three places.
//   Host    ordinary pageable memory, 64-byte aligned (CPU tensors)
//   Pinned  page-locked host memory (staging for fast, asynchronous host<->GPU copies)
//   Device  GPU memory on the current device
// Move-only: copying would double-free. Pinned and Device need the CUDA backend; in a build
// without it they throw an Error that says so.
#pragma once

#include <cstddef>

struct CUstream_st;

namespace pose {

enum class MemoryKind { Host, Pinned, Device };

class Buffer {
 public:
  Buffer() = default;
  Buffer(std::size_t bytes, MemoryKind kind);
  Buffer(Buffer&& other) noexcept;
  Buffer& operator=(Buffer&& other) noexcept;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer();

  void* data() const { return data_; }
  std::size_t bytes() const { return bytes_; }
  MemoryKind kind() const { return kind_; }

 private:
  void release() noexcept;

  void* data_ = nullptr;
  std::size_t bytes_ = 0;
  MemoryKind kind_ = MemoryKind::Host;
};

// Backend hooks for Pinned and Device memory (cuda/buffer_cuda.cpp, or no_cuda.cpp).
void* allocate_pinned(std::size_t bytes);
void free_pinned(void* ptr) noexcept;
void* allocate_device(std::size_t bytes);
void free_device(void* ptr) noexcept;
// Copies between any two of host, pinned and device memory, ordered on `stream`.
void copy_bytes_async(void* dst, const void* src, std::size_t bytes, CUstream_st* stream);

}  // namespace pose
