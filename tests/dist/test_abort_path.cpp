// Whole 2-rank runs of abort_probe: a failure on one rank stops every rank, quickly and with
// its message, instead of leaving the other rank hung in a collective.
#include <gtest/gtest.h>

#include <string>

#include "../common/paths.h"
#include "../common/run_command.h"

namespace pose {
namespace {

using test::count_of;

test::CommandResult run_probe(const std::string& mode) {
  // 60 s is far above a normal run (about a second); status 124 means the run hung.
  return test::run_command(test::mpi_launch() + " 2 " + test::bin_dir() + "/abort_probe " + mode, 60);
}

TEST(AbortPath, AbortOnOneRankStopsBoth) {
  const auto r = run_probe("abort_one");
  EXPECT_NE(r.status, 124) << "hung:\n" << r.output;
  EXPECT_NE(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("FATAL (rank 1 of 2): probe: rank 1 gave up"), std::string::npos) << r.output;
}

TEST(AbortPath, ExceptionOnOneRankStopsBoth) {
  const auto r = run_probe("throw_one");
  EXPECT_NE(r.status, 124) << "hung:\n" << r.output;
  EXPECT_NE(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("FATAL (rank 1 of 2): internal error: probe: internal failure on rank 1"),
            std::string::npos)
      << r.output;
}

TEST(AbortPath, CollectiveStopExitsCleanlyWithOneMessage) {
  const auto r = run_probe("user_error_all");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_EQ(count_of(r.output, "probe: bad input seen by rank 1"), 1) << r.output;
  // Printed by rank 0 (its log tag), naming the rank that saw the problem.
  EXPECT_NE(r.output.find("rank 0] error: rank 1: probe: bad input"), std::string::npos) << r.output;
  EXPECT_EQ(count_of(r.output, "MPI_ABORT"), 0) << "a collective stop must not abort:\n" << r.output;
}

TEST(AbortPath, HealthyRunExitsZero) {
  const auto r = run_probe("ok");
  EXPECT_EQ(r.status, 0) << r.output;
}

}  // namespace
}  // namespace pose
