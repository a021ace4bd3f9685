// For gtest programs run under mpiexec (pose_add_test ... MPI_MAIN): the process's Runtime.
#pragma once

#include "dist/runtime.h"

namespace pose::test {

Runtime& mpi_runtime();

}  // namespace pose::test
