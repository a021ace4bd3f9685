// The MPI runtime under 2 real ranks (run through tests/mpi_launch.sh 2): rank discovery, the
// local (per-node) communicator against the launcher's variables, checked MPI calls, and the
// collective stop.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/error.h"
#include "dist/launcher_env.h"
#include "dist/mpi_check.h"
#include "dist/runtime.h"
#include "../common/mpi_test.h"

namespace pose {
namespace {

TEST(RuntimeMpi, DiscoversTwoDistinctRanksOnOneNode) {
  const Runtime& rt = test::mpi_runtime();
  ASSERT_EQ(rt.size(), 2);
  EXPECT_GE(rt.rank(), 0);
  EXPECT_LT(rt.rank(), 2);
  EXPECT_EQ(rt.node_count(), 1);
  EXPECT_EQ(rt.local_size(), 2);
  EXPECT_EQ(rt.local_rank(), rt.rank());  // one node: local ranks follow world ranks
  EXPECT_EQ(rt.is_root(), rt.rank() == 0);
  int sum = 0;
  const int mine = rt.rank();
  POSE_MPI_CHECK(MPI_Allreduce(&mine, &sum, 1, MPI_INT, MPI_SUM, rt.world()));
  EXPECT_EQ(sum, 0 + 1);
}

TEST(RuntimeMpi, AgreesWithTheLauncher) {
  const Runtime& rt = test::mpi_runtime();
  const auto reports = read_launchers(process_environment());
  ASSERT_FALSE(reports.empty()) << "mpiexec sets launcher variables; none were found";
  const auto mismatches =
      launcher_mismatches(reports, rt.rank(), rt.size(), rt.local_rank(), rt.local_size());
  EXPECT_EQ(mismatches, std::vector<std::string>{});
  if (const char* local_rank = std::getenv("OMPI_COMM_WORLD_LOCAL_RANK")) {
    EXPECT_EQ(std::atoi(local_rank), rt.local_rank());
  }
  if (const char* local_size = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE")) {
    EXPECT_EQ(std::atoi(local_size), rt.local_size());
  }
}

TEST(RuntimeMpi, FailedCallsThrowWithPlaceCallAndMpiMessage) {
  const Runtime& rt = test::mpi_runtime();
  const int value = 0;
  try {
    // No such rank: with MPI_ERRORS_RETURN on the world the call returns an error code.
    POSE_MPI_CHECK(MPI_Send(&value, 1, MPI_INT, rt.size() + 3, 0, rt.world()));
    FAIL() << "a send to a rank that does not exist must fail";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.rfind("test_runtime_mpi.cpp:", 0), 0u) << message;
    EXPECT_NE(message.find("MPI_Send(&value, 1, MPI_INT, rt.size() + 3, 0, rt.world())"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("error class"), std::string::npos) << message;
    EXPECT_NE(message.find("MPI_ERR_RANK"), std::string::npos) << message;
  }
}

TEST(RuntimeMpi, ChoosesOneGpuPerRank) {
  EXPECT_EQ(test::mpi_runtime().choose_gpu(2, false), test::mpi_runtime().local_rank());
  EXPECT_THROW(test::mpi_runtime().choose_gpu(1, false), UserError);
  EXPECT_EQ(test::mpi_runtime().choose_gpu(1, true), 0);
}

TEST(RuntimeMpi, StopIfAnyFailedPassesWhenAllAreFine) {
  EXPECT_NO_THROW(test::mpi_runtime().stop_if_any_failed(""));
}

TEST(RuntimeMpi, StopIfAnyFailedStopsEveryRankWhenOneFails) {
  const std::string error = test::mpi_runtime().rank() == 1 ? "test: rank 1 is unhappy" : "";
  try {
    test::mpi_runtime().stop_if_any_failed(error, 7);
    FAIL() << "rank " << test::mpi_runtime().rank() << " did not stop";
  } catch (const StopRun& stop) {
    EXPECT_EQ(stop.exit_code, 7);
  }
}

}  // namespace
}  // namespace pose
