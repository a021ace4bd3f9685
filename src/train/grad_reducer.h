// GradientReducer: sums a flat f32 gradient buffer over all ranks, in place.
//   nccl  ncclAllReduce on the device in buckets of about 25 MB taken from the end of the
//         buffer (the last layers' gradients, which backward finishes first), on a stream of
//         its own: with start / ready_from / finish around backward, each bucket is summed
//         while backward still works on earlier layers. One rank per GPU (NCCL refuses two
//         ranks on one GPU).
//   mpi   MPI_Allreduce on host memory: directly for the CPU backend, through a page-locked
//         staging buffer for a GPU (ranks that share a GPU).
// The average over ranks is taken later by the optimiser (AdamSettings::grad_divisor).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/buffer.h"
#include "core/device_context.h"
#include "dist/runtime.h"

namespace pose {

class NcclComm;

class GradientReducer {
 public:
  // Collective over all ranks (NCCL setup). `comm` is "nccl" or "mpi"; `timeout_seconds`
  // bounds one sum before the job is stopped as hung (NCCL: train/nccl_comm.h; MPI:
  // dist/bounded_wait.h). With one rank nothing is summed unless `single_rank` asks for the
  // configured path anyway.
  GradientReducer(Runtime& runtime, const DeviceContext& ctx, const std::string& comm, std::size_t numel,
                  int timeout_seconds = 600, bool single_rank = false);
  ~GradientReducer();

  // The whole buffer at once (start + finish).
  void all_reduce_sum(const TensorView& grads);

  // Overlapped with backward: start() before it, ready_from(offset) whenever every element
  // at index >= offset is final (PoseResNet::backward's callback), finish() after it. When
  // finish() returns, work queued on the compute stream sees the sums. The MPI path sums
  // everything in finish().
  void start(const TensorView& grads);
  void ready_from(std::size_t offset);
  void finish();
  const std::string& method() const { return method_; }

 private:
  Runtime& runtime_;
  const DeviceContext& ctx_;
  std::string method_;
  bool active_;  // false: one rank, nothing to sum
  std::chrono::seconds timeout_;
  TensorView grads_;  // of the step in progress
  Buffer staging_;    // mpi path on a GPU
  std::unique_ptr<NcclComm> nccl_;
};

}  // namespace pose
