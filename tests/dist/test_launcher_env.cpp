// Launcher variables and the GPU-per-local-rank rule, with fake environments (no MPI needed).
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "core/error.h"
#include "dist/launcher_env.h"
#include "dist/runtime.h"

namespace pose {
namespace {

EnvLookup fake_env(const std::map<std::string, std::string>& vars) {
  return [vars](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

TEST(Launchers, NoVariablesMeansNoLauncher) {
  EXPECT_TRUE(read_launchers(fake_env({})).empty());
  EXPECT_EQ(describe_launchers({}), "no launcher variables");
}

TEST(Launchers, ReadsEachLauncher) {
  const auto reports = read_launchers(fake_env({
      {"OMPI_COMM_WORLD_RANK", "5"}, {"OMPI_COMM_WORLD_SIZE", "8"}, {"OMPI_COMM_WORLD_LOCAL_RANK", "1"},
      {"SLURM_PROCID", "5"}, {"SLURM_NTASKS", "8"}, {"SLURM_LOCALID", "1"},
      {"PMI_RANK", "5"}, {"PMI_SIZE", "8"}, {"MPI_LOCALRANKID", "1"},
      {"PALS_RANKID", "5"}, {"PALS_LOCAL_RANKID", "1"},
  }));
  ASSERT_EQ(reports.size(), 4u);
  EXPECT_EQ(reports[0].launcher, "Open MPI");
  EXPECT_EQ(reports[1].launcher, "Slurm");
  EXPECT_EQ(reports[2].launcher, "PMI");
  EXPECT_EQ(reports[3].launcher, "PALS");
  for (const auto& r : reports) {
    EXPECT_EQ(r.rank, 5) << r.launcher;
    EXPECT_EQ(r.local_rank, 1) << r.launcher;
    EXPECT_TRUE(r.problems.empty()) << r.launcher;
  }
  EXPECT_FALSE(reports[3].size.has_value());  // PALS gives no world size
  EXPECT_TRUE(launcher_mismatches(reports, 5, 8, 1).empty());
  EXPECT_EQ(describe_launchers({reports[1]}), "Slurm rank 5/8 local 1");
}

TEST(Launchers, ReportsEveryDisagreementWithMpi) {
  const auto reports = read_launchers(fake_env({
      {"SLURM_PROCID", "3"}, {"SLURM_NTASKS", "4"}, {"SLURM_LOCALID", "1"}}));
  const auto found = launcher_mismatches(reports, 0, 1, 0);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_NE(found[0].find("Slurm says rank 3 but MPI says 0"), std::string::npos) << found[0];
  EXPECT_NE(found[1].find("4 processes but MPI's world has 1"), std::string::npos) << found[1];
  EXPECT_NE(found[2].find("local rank 1 but MPI's shared-memory split gives 0"), std::string::npos)
      << found[2];
}

TEST(Launchers, MalformedValuesAreReportedNotTrusted) {
  const auto reports = read_launchers(fake_env({{"SLURM_LOCALID", "one"}, {"SLURM_PROCID", "-2"}}));
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_FALSE(reports[0].local_rank.has_value());
  EXPECT_FALSE(reports[0].rank.has_value());
  const auto found = launcher_mismatches(reports, 0, 1, 0);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_NE(found[0].find("SLURM_PROCID='-2'"), std::string::npos) << found[0];
  EXPECT_NE(found[1].find("SLURM_LOCALID='one'"), std::string::npos) << found[1];
}

TEST(GpuChoice, OneGpuPerLocalRank) {
  EXPECT_EQ(gpu_for_local_rank(0, 4, 4, false), 0);
  EXPECT_EQ(gpu_for_local_rank(3, 4, 4, false), 3);
  EXPECT_EQ(gpu_for_local_rank(1, 2, 8, false), 1);  // fewer ranks than GPUs is fine
}

TEST(GpuChoice, MoreRanksThanGpusNeedsTheSharedPath) {
  try {
    gpu_for_local_rank(2, 4, 2, false);
    FAIL() << "4 ranks on 2 GPUs without sharing must be refused";
  } catch (const UserError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("4 ranks but has 2 GPU(s)"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--run.comm mpi"), std::string::npos) << msg;
  }
  EXPECT_EQ(gpu_for_local_rank(2, 4, 2, true), 0);
  EXPECT_EQ(gpu_for_local_rank(3, 4, 2, true), 1);
}

TEST(GpuChoice, NoGpuSaysHowToRunOnTheCpu) {
  try {
    gpu_for_local_rank(0, 1, 0, true);
    FAIL() << "no GPU must be refused";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("--run.device cpu"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace pose
