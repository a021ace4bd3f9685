// Pinned and device memory for Buffer, through the CUDA runtime.
#include "core/buffer.h"
#include "core/cuda/checks.h"
#include "core/error.h"

namespace pose {

void* allocate_pinned(std::size_t bytes) {
  void* ptr = nullptr;
  POSE_CUDA_CHECK(cudaMallocHost(&ptr, bytes));
  return ptr;
}

void free_pinned(void* ptr) noexcept { cudaFreeHost(ptr); }

void* allocate_device(std::size_t bytes) {
  void* ptr = nullptr;
  const cudaError_t status = cudaMalloc(&ptr, bytes);
  if (status == cudaErrorMemoryAllocation) {
    cudaGetLastError();
    size_t free_bytes = 0, total_bytes = 0;
    cudaMemGetInfo(&free_bytes, &total_bytes);
    throw OutOfMemory(cat("out of GPU memory: asked for ", bytes >> 20, " MiB with ", free_bytes >> 20,
                    " MiB free of ", total_bytes >> 20, " MiB; lower train.batch_size"));
  }
  POSE_CUDA_CHECK(status);
  return ptr;
}

void free_device(void* ptr) noexcept { cudaFree(ptr); }

void copy_bytes_async(void* dst, const void* src, std::size_t bytes, CUstream_st* stream) {
  POSE_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDefault, stream));
}

}  // namespace pose
