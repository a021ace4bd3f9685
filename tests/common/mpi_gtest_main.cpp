// main() of the MPI test programs: MPI is up before the tests and down after them, and the
// process fails when a test failed on any rank (mpiexec reports the worst exit status).
#include <gtest/gtest.h>
#include <mpi.h>

#include "mpi_test.h"

namespace pose::test {
namespace {
Runtime* g_runtime = nullptr;
}

Runtime& mpi_runtime() { return *g_runtime; }

}  // namespace pose::test

int main(int argc, char** argv) {
  pose::Runtime runtime(argc, argv);
  pose::test::g_runtime = &runtime;
  ::testing::InitGoogleTest(&argc, argv);
  const int failed = RUN_ALL_TESTS() != 0 ? 1 : 0;
  int any_failed = 0;
  MPI_Allreduce(&failed, &any_failed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return any_failed;
}
