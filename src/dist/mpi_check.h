// Checked MPI calls: a return code other than MPI_SUCCESS throws pose::Error naming file:line,
// the call, MPI's error class and its text. Runtime sets MPI_ERRORS_RETURN on the world
// communicator so that errors come back as codes instead of aborting inside MPI.
#pragma once

namespace pose {

void check_mpi(int code, const char* call, const char* file, int line);

}  // namespace pose

#define POSE_MPI_CHECK(call) ::pose::check_mpi((call), #call, __FILE__, __LINE__)
