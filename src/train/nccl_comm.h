// NcclComm: one NCCL communicator over all MPI ranks (rank 0 makes the id, MPI_Bcast shares
// it), and a bucketed in-place f32 sum. Only in builds with CUDA.
#pragma once

#include <cstddef>

#include "core/device_context.h"
#include "dist/runtime.h"

struct ncclComm;

namespace pose {

class NcclComm {
 public:
  NcclComm(Runtime& runtime, const DeviceContext& ctx);
  ~NcclComm();
  NcclComm(const NcclComm&) = delete;
  NcclComm& operator=(const NcclComm&) = delete;

  // Sums `count` floats at `data` (device memory) over all ranks, ordered on ctx's stream.
  void sum_in_place(float* data, std::size_t count, std::size_t bucket_elements);

 private:
  const DeviceContext& ctx_;
  ncclComm* comm_ = nullptr;
};

}  // namespace pose
