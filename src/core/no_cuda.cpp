// The CUDA entry points of pose_core in a build without the CUDA backend (POSE_CUDA=OFF or no
// nvcc): GPU memory and contexts are refused with a message that says how to get them.
#include "core/buffer.h"
#include "core/device_context.h"
#include "core/error.h"

namespace pose {
namespace {
[[noreturn]] void no_cuda(const char* what) {
  throw UserError(cat(what, " needs the CUDA backend, but this build has none: reconfigure with "
                      "-DPOSE_CUDA=ON on a machine with the CUDA toolkit, or use --run.device cpu"));
}
}  // namespace

void* allocate_pinned(std::size_t) { no_cuda("pinned host memory"); }
void free_pinned(void*) noexcept {}
void* allocate_device(std::size_t) { no_cuda("GPU memory"); }
void free_device(void*) noexcept {}
void copy_bytes_async(void*, const void*, std::size_t, CUstream_st*) { no_cuda("a GPU copy"); }

int cuda_device_count() { return 0; }
std::string describe_cuda_devices() { return ""; }
std::size_t cuda_memory_in_use() { return 0; }

DeviceContext DeviceContext::cuda(int) { no_cuda("a GPU device context"); }
void DeviceContext::synchronize() const {}
void DeviceContext::release() noexcept {}

StreamEvent::~StreamEvent() = default;
void StreamEvent::record(const DeviceContext&) {}
void StreamEvent::wait() const {}

}  // namespace pose
