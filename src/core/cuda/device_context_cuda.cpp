// DeviceContext on a GPU: one non-blocking stream with cuDNN bound to it.
#include "core/cuda/checks.h"
#include "core/device_context.h"
#include "core/error.h"

namespace pose {

int cuda_device_count() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();  // no driver or no device: report zero, the caller decides
    return 0;
  }
  return count;
}

std::string describe_cuda_devices() {
  std::string lines;
  for (int i = 0; i < cuda_device_count(); ++i) {
    cudaDeviceProp prop{};
    POSE_CUDA_CHECK(cudaGetDeviceProperties(&prop, i));
    lines += cat(i, ": ", prop.name, ", sm_", prop.major, prop.minor, ", ",
                 static_cast<double>(prop.totalGlobalMem) / (1 << 30), " GiB\n");
  }
  return lines;
}

std::size_t cuda_memory_in_use() {
  std::size_t free = 0, total = 0;
  POSE_CUDA_CHECK(cudaMemGetInfo(&free, &total));
  return total - free;
}

DeviceContext DeviceContext::cuda(int device_index) {
  const int count = cuda_device_count();
  if (device_index < 0 || device_index >= count)
    throw UserError(cat("GPU ", device_index, " requested but ", count,
                        " CUDA device(s) are visible to this process"));
  DeviceContext ctx;
  ctx.device_ = Device::CUDA;
  ctx.device_index_ = device_index;
  POSE_CUDA_CHECK(cudaSetDevice(device_index));
  POSE_CUDA_CHECK(cudaStreamCreateWithFlags(&ctx.stream_, cudaStreamNonBlocking));
  POSE_CUDNN_CHECK(cudnnCreate(&ctx.cudnn_));
  POSE_CUDNN_CHECK(cudnnSetStream(ctx.cudnn_, ctx.stream_));
  return ctx;
}

void DeviceContext::synchronize() const {
  if (device_ == Device::CUDA) POSE_CUDA_CHECK(cudaStreamSynchronize(stream_));
}

void DeviceContext::release() noexcept {
  // Destroying handles in a destructor must not throw; errors here have no one to report to.
  if (cudnn_) cudnnDestroy(cudnn_);
  if (stream_) cudaStreamDestroy(stream_);
  cudnn_ = nullptr;
  stream_ = nullptr;
}

StreamEvent::~StreamEvent() {
  if (event_) cudaEventDestroy(event_);
}

void StreamEvent::record(const DeviceContext& ctx) {
  if (ctx.device() != Device::CUDA) return;
  if (!event_) POSE_CUDA_CHECK(cudaEventCreateWithFlags(&event_, cudaEventDisableTiming));
  POSE_CUDA_CHECK(cudaEventRecord(event_, ctx.stream()));
}

void StreamEvent::wait() const {
  if (event_) POSE_CUDA_CHECK(cudaEventSynchronize(event_));
}

}  // namespace pose
