// Waiting for a collective with a time limit, on the MPI path. MPI cannot cancel a collective,
// so a rank that stops answering (frozen with SIGSTOP, stuck on a hung file system, its node
// gone without MPI noticing) would keep every other rank waiting for as long as it lasts.
// The collectives of the training loop are started non-blocking and waited for here: past
// the limit, this rank stops the whole job through Runtime::abort_all with a message that
// names the collective, like the NCCL watchdog does for NCCL sums.
#pragma once

#include <mpi.h>

#include <chrono>
#include <string>

#include "dist/runtime.h"

namespace pose {

// Polls `request` (MPI_Test, which also drives MPI's progress) on the calling thread until it
// completes or `limit` has passed.
void wait_or_abort(Runtime& runtime, MPI_Request& request, std::chrono::seconds limit, const std::string& what);

// MPI_Allreduce in place with that limit.
void bounded_allreduce(Runtime& runtime, void* data, int count, MPI_Datatype type, MPI_Op op,
                       std::chrono::seconds limit, const std::string& what);

}  // namespace pose
