#include "train/nccl_comm.h"

#if POSE_WITH_CUDA
#include <nccl.h>

#include "core/cuda/checks.h"
#include "dist/mpi_check.h"

namespace pose {

NcclComm::NcclComm(Runtime& runtime, const DeviceContext& ctx) : ctx_(ctx) {
  ncclUniqueId id{};
  if (runtime.is_root()) POSE_NCCL_CHECK(ncclGetUniqueId(&id));
  POSE_MPI_CHECK(MPI_Bcast(&id, sizeof id, MPI_BYTE, 0, runtime.world()));
  POSE_NCCL_CHECK(ncclCommInitRank(&comm_, runtime.size(), id, runtime.rank()));
}

NcclComm::~NcclComm() {
  if (comm_) ncclCommDestroy(comm_);
}

void NcclComm::sum_in_place(float* data, std::size_t count, std::size_t bucket_elements) {
  // From the end of the buffer backwards: the head's gradients are complete first.
  std::size_t end = count;
  while (end > 0) {
    const std::size_t begin = end > bucket_elements ? end - bucket_elements : 0;
    POSE_NCCL_CHECK(ncclAllReduce(data + begin, data + begin, end - begin, ncclFloat, ncclSum, comm_, ctx_.stream()));
    end = begin;
  }
}

}  // namespace pose

#else

#include "core/error.h"

namespace pose {

NcclComm::NcclComm(Runtime&, const DeviceContext& ctx) : ctx_(ctx) {
  throw UserError("run.comm = nccl needs the CUDA build; use run.comm = mpi");
}
NcclComm::~NcclComm() = default;
void NcclComm::sum_in_place(float*, std::size_t, std::size_t) {}

}  // namespace pose

#endif
