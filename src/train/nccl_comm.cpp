#include "train/nccl_comm.h"

#if POSE_WITH_CUDA
#include <nccl.h>

#include "core/cuda/checks.h"
#include "core/error.h"
#include "dist/mpi_check.h"

namespace pose {
namespace {

long long now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

NcclComm::NcclComm(Runtime& runtime, const DeviceContext& ctx, std::chrono::seconds timeout)
    : runtime_(runtime), ctx_(ctx), timeout_(timeout) {
  ncclUniqueId id{};
  if (runtime.is_root()) POSE_NCCL_CHECK(ncclGetUniqueId(&id));
  POSE_MPI_CHECK(MPI_Bcast(&id, sizeof id, MPI_BYTE, 0, runtime.world()));
  POSE_NCCL_CHECK(ncclCommInitRank(&comm_, runtime.size(), id, runtime.rank()));
  POSE_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
  POSE_CUDA_CHECK(cudaEventCreateWithFlags(&ready_, cudaEventDisableTiming));
  POSE_CUDA_CHECK(cudaEventCreateWithFlags(&done_, cudaEventDisableTiming));
  watchdog_ = std::thread([this] { watch(); });
}

NcclComm::~NcclComm() {
  stopping_ = true;
  if (watchdog_.joinable()) watchdog_.join();
  if (done_) cudaEventDestroy(done_);
  if (ready_) cudaEventDestroy(ready_);
  if (comm_) ncclCommDestroy(comm_);
  if (stream_) cudaStreamDestroy(stream_);
}

void NcclComm::watch() {
  // The watchdog never touches the streams: it reads the event and NCCL's error state only.
  cudaSetDevice(ctx_.device_index());  // a new thread starts on device 0
  while (!stopping_) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    ncclResult_t state = ncclSuccess;
    std::string problem;
    if (ncclCommGetAsyncError(comm_, &state) == ncclSuccess && state != ncclSuccess && state != ncclInProgress)
      problem = cat("NCCL reported an asynchronous error: ", ncclGetErrorString(state));
    const long long since = pending_since_.load();
    if (problem.empty() && since != 0) {
      long long expected = since;  // a newer sum may have started meanwhile: keep its time
      if (cudaEventQuery(done_) == cudaSuccess)
        pending_since_.compare_exchange_strong(expected, 0);
      else if (now_ns() - since > std::chrono::nanoseconds(timeout_).count())
        problem = cat("a gradient all-reduce has not finished after ", timeout_.count(),
                      " s: another rank has stopped or the network failed");
    }
    if (!problem.empty()) {
      ncclCommAbort(comm_);
      comm_ = nullptr;
      runtime_.abort_all(problem);
    }
  }
}

void NcclComm::begin(float* data, std::size_t count, std::size_t bucket_elements) {
  data_ = data;
  bucket_ = bucket_elements;
  next_end_ = count;
}

void NcclComm::ready_from(std::size_t offset) {
  bool queued = false;
  while (next_end_ > 0) {
    const std::size_t begin = next_end_ > bucket_ ? next_end_ - bucket_ : 0;
    if (begin < offset) break;
    if (!queued) {  // one dependency on the compute stream covers every bucket queued now
      POSE_CUDA_CHECK(cudaEventRecord(ready_, ctx_.stream()));
      POSE_CUDA_CHECK(cudaStreamWaitEvent(stream_, ready_, 0));
      queued = true;
    }
    POSE_NCCL_CHECK(ncclAllReduce(data_ + begin, data_ + begin, next_end_ - begin, ncclFloat, ncclSum, comm_, stream_));
    next_end_ = begin;
  }
}

void NcclComm::end() {
  ready_from(0);
  POSE_CUDA_CHECK(cudaEventRecord(done_, stream_));
  POSE_CUDA_CHECK(cudaStreamWaitEvent(ctx_.stream(), done_, 0));
  pending_since_ = now_ns();
}

}  // namespace pose

#else

#include "core/error.h"

namespace pose {

NcclComm::NcclComm(Runtime& runtime, const DeviceContext& ctx, std::chrono::seconds timeout)
    : runtime_(runtime), ctx_(ctx), timeout_(timeout) {
  throw UserError("run.comm = nccl needs the CUDA build; use run.comm = mpi");
}
NcclComm::~NcclComm() = default;
void NcclComm::begin(float*, std::size_t, std::size_t) {}
void NcclComm::ready_from(std::size_t) {}
void NcclComm::end() {}

}  // namespace pose

#endif
