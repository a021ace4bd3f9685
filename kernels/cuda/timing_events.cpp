#include "kernels/cuda/timing_events.h"

#include "core/cuda/checks.h"

namespace pose::cuda_timing {

EventPool::~EventPool() {
  for (cudaEvent_t e : events_) cudaEventDestroy(e);  // errors here have no one to report to
}

std::size_t EventPool::record(StreamHandle stream) {
  if (used_ == events_.size()) {
    cudaEvent_t e = nullptr;
    POSE_CUDA_CHECK(cudaEventCreate(&e));
    events_.push_back(e);
  }
  POSE_CUDA_CHECK(cudaEventRecord(events_[used_], stream));
  return used_++;
}

float EventPool::elapsed_ms(std::size_t begin, std::size_t end) const {
  float ms = 0;
  POSE_CUDA_CHECK(cudaEventElapsedTime(&ms, events_[begin], events_[end]));
  return ms;
}

}  // namespace pose::cuda_timing
