// DeviceContext: where ops run. On the CPU it carries nothing; on a GPU it owns the stream and
// the cuDNN handle every op on that device uses. Move-only; one per device per rank.
//
// The header names CUDA handle types by forward declaration only, so code built without the
// CUDA toolkit (POSE_CUDA=OFF) includes it unchanged.
#pragma once

#include <cstddef>
#include <string>

#include "core/tensor.h"

struct CUstream_st;    // cudaStream_t is CUstream_st*
struct cudnnContext;   // cudnnHandle_t is cudnnContext*
struct CUevent_st;     // cudaEvent_t is CUevent_st*

namespace pose {

using StreamHandle = CUstream_st*;
using CudnnHandle = cudnnContext*;

// Number of CUDA devices this process can use: 0 in a build without CUDA or with no driver.
int cuda_device_count();

// Bytes of the current GPU's memory in use by anything (total - free); 0 without CUDA.
std::size_t cuda_memory_in_use();

// One line per visible GPU ("0: NVIDIA H100 80GB HBM3, sm_90, 79.1 GiB"); empty without GPUs.
std::string describe_cuda_devices();

class DeviceContext;

// dst = src for tensors of equal dtype and element count on any devices; ordered on ctx's
// stream when a GPU is involved (asynchronous for device and pinned memory). Call
// ctx.synchronize() before reading a host destination.
void transfer(const DeviceContext& ctx, const TensorView& dst, const TensorView& src);

class DeviceContext {
 public:
  static DeviceContext cpu();
  // Makes `device_index` current on this thread and creates a stream and the cuDNN handle.
  static DeviceContext cuda(int device_index);

  DeviceContext(DeviceContext&& other) noexcept;
  DeviceContext& operator=(DeviceContext&& other) noexcept;
  DeviceContext(const DeviceContext&) = delete;
  DeviceContext& operator=(const DeviceContext&) = delete;
  ~DeviceContext();

  Device device() const { return device_; }
  int device_index() const { return device_index_; }
  StreamHandle stream() const { return stream_; }
  CudnnHandle cudnn() const { return cudnn_; }

  // Waits for all work queued on this context's stream (no-op on the CPU).
  void synchronize() const;

 private:
  DeviceContext() = default;
  void release() noexcept;

  Device device_ = Device::CPU;
  int device_index_ = -1;
  StreamHandle stream_ = nullptr;
  CudnnHandle cudnn_ = nullptr;
};

// StreamEvent: a point in a context's stream that the host can wait for, e.g. "the copy out of
// this page-locked buffer is done, the buffer may be refilled". Without a GPU every wait
// returns at once (CPU work is already done when it is queued).
class StreamEvent {
 public:
  StreamEvent() = default;
  StreamEvent(const StreamEvent&) = delete;
  StreamEvent& operator=(const StreamEvent&) = delete;
  ~StreamEvent();

  void record(const DeviceContext& ctx);  // marks the current end of ctx's stream
  void wait() const;                      // blocks until the stream has passed the mark

 private:
  CUevent_st* event_ = nullptr;
};

}  // namespace pose
