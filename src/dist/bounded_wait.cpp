#include "dist/bounded_wait.h"

#include <thread>

#include "core/error.h"
#include "dist/mpi_check.h"

namespace pose {

void wait_or_abort(Runtime& runtime, MPI_Request& request, std::chrono::seconds limit, const std::string& what) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  // Spin first (a sum between healthy ranks finishes in micro- to milliseconds), then poll at
  // a pace that costs no CPU worth noticing while a slow peer catches up.
  constexpr int kSpins = 10000;
  for (int polls = 0;; ++polls) {
    int done = 0;
    POSE_MPI_CHECK(MPI_Test(&request, &done, MPI_STATUS_IGNORE));
    if (done) return;
    if (polls < kSpins) continue;
    if (Clock::now() - start > limit)
      runtime.abort_all(cat(what, " has not finished after ", limit.count(),
                            " s (run.comm_timeout): another rank has stopped or the network failed"));
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

void bounded_allreduce(Runtime& runtime, void* data, int count, MPI_Datatype type, MPI_Op op,
                       std::chrono::seconds limit, const std::string& what) {
  MPI_Request request = MPI_REQUEST_NULL;
  POSE_MPI_CHECK(MPI_Iallreduce(MPI_IN_PLACE, data, count, type, op, runtime.world(), &request));
  wait_or_abort(runtime, request, limit, what);
}

}  // namespace pose
