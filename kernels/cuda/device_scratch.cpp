// Scratch device memory: one stream-ordered buffer per GPU (see device_scratch.h).
#include "kernels/cuda/device_scratch.h"

#include <map>
#include <mutex>

#include "core/cuda/checks.h"

namespace pose::cuda_ops {
namespace {

constexpr std::size_t kGranule = std::size_t{1} << 20;  // grow in whole MiB: fewer regrowths

struct Scratch {
  void* data = nullptr;
  std::size_t bytes = 0;
  StreamHandle last_stream = nullptr;
};

}  // namespace

void* device_scratch(const DeviceContext& ctx, std::size_t bytes) {
  if (bytes == 0) return nullptr;
  // Deliberately never destroyed: freeing at exit would race the CUDA runtime's own teardown,
  // and the process's end returns the memory anyway.
  static auto* mutex = new std::mutex;
  static auto* scratch_per_device = new std::map<int, Scratch>;
  const std::lock_guard<std::mutex> lock(*mutex);
  Scratch& s = (*scratch_per_device)[ctx.device_index()];
  if (s.last_stream != nullptr && s.last_stream != ctx.stream())
    POSE_CUDA_CHECK(cudaDeviceSynchronize());
  s.last_stream = ctx.stream();
  if (bytes > s.bytes) {
    const std::size_t grown = (bytes + kGranule - 1) / kGranule * kGranule;
    if (s.data != nullptr) POSE_CUDA_CHECK(cudaFreeAsync(s.data, ctx.stream()));
    s.data = nullptr;
    s.bytes = 0;
    POSE_CUDA_CHECK(cudaMallocAsync(&s.data, grown, ctx.stream()));
    s.bytes = grown;
  }
  return s.data;
}

}  // namespace pose::cuda_ops
