// NcclComm: one NCCL communicator over all MPI ranks (rank 0 makes the id, MPI_Bcast shares
// it), and a bucketed in-place f32 sum on a stream of its own, so buckets are summed while
// the compute stream goes on with backward. Only in builds with CUDA.
//
// A watchdog thread keeps a failing job from hanging: every second it asks NCCL for an
// asynchronous error, and it checks that the latest sum finished within the timeout (a dead
// peer leaves the others waiting inside NCCL forever). Either way it aborts the communicator
// and stops every rank with a message (Runtime::abort_all).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <thread>

#include "core/device_context.h"
#include "dist/runtime.h"

struct ncclComm;
struct CUevent_st;
struct CUstream_st;

namespace pose {

class NcclComm {
 public:
  // timeout: how long one gradient sum may take before the job is declared hung.
  NcclComm(Runtime& runtime, const DeviceContext& ctx, std::chrono::seconds timeout);
  ~NcclComm();
  NcclComm(const NcclComm&) = delete;
  NcclComm& operator=(const NcclComm&) = delete;

  // One sum of `count` floats at `data` (device memory) over all ranks, in buckets taken from
  // the end: begin() names the buffer, ready_from(offset) queues every bucket lying wholly at
  // or after offset (after the compute stream's work so far), end() queues the rest and makes
  // the compute stream wait for all of them.
  void begin(float* data, std::size_t count, std::size_t bucket_elements);
  void ready_from(std::size_t offset);
  void end();

 private:
  void watch();

  Runtime& runtime_;
  const DeviceContext& ctx_;
  std::chrono::seconds timeout_;
  ncclComm* comm_ = nullptr;
  CUstream_st* stream_ = nullptr;  // the sums' stream
  CUevent_st* ready_ = nullptr;    // compute stream -> stream_: gradients final
  CUevent_st* done_ = nullptr;     // stream_ -> compute stream: sums finished
  float* data_ = nullptr;
  std::size_t bucket_ = 0, next_end_ = 0;  // buckets below next_end_ are not queued yet
  std::atomic<long long> pending_since_{0};  // steady-clock ns when the unfinished sum began; 0: none
  std::atomic<bool> stopping_{false};
  std::thread watchdog_;
};

}  // namespace pose
