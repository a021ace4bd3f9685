#include "core/device_context.h"

#include <cstring>
#include <utility>

#include "core/error.h"

namespace pose {

void transfer(const DeviceContext& ctx, const TensorView& dst, const TensorView& src) {
  POSE_CHECK(dst.dtype == src.dtype && dst.numel() == src.numel(), "transfer between ",
             src.str(), " and ", dst.str());
  if (dst.bytes() == 0 || dst.data == src.data) return;
  if (dst.device == Device::CPU && src.device == Device::CPU)
    std::memmove(dst.data, src.data, dst.bytes());
  else
    copy_bytes_async(dst.data, src.data, dst.bytes(), ctx.stream());
}

DeviceContext DeviceContext::cpu() { return DeviceContext(); }

DeviceContext::DeviceContext(DeviceContext&& other) noexcept
    : device_(other.device_),
      device_index_(std::exchange(other.device_index_, -1)),
      stream_(std::exchange(other.stream_, nullptr)),
      cudnn_(std::exchange(other.cudnn_, nullptr)) {
  other.device_ = Device::CPU;
}

DeviceContext& DeviceContext::operator=(DeviceContext&& other) noexcept {
  if (this != &other) {
    release();
    device_ = std::exchange(other.device_, Device::CPU);
    device_index_ = std::exchange(other.device_index_, -1);
    stream_ = std::exchange(other.stream_, nullptr);
    cudnn_ = std::exchange(other.cudnn_, nullptr);
  }
  return *this;
}

DeviceContext::~DeviceContext() { release(); }

}  // namespace pose
