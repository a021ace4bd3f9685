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
      {"OMPI_COMM_WORLD_RANK", "5"}, {"OMPI_COMM_WORLD_SIZE", "8"},
      {"OMPI_COMM_WORLD_LOCAL_RANK", "1"}, {"OMPI_COMM_WORLD_LOCAL_SIZE", "4"},
      {"SLURM_PROCID", "5"}, {"SLURM_NTASKS", "8"}, {"SLURM_LOCALID", "1"},
      {"PMI_RANK", "5"}, {"PMI_SIZE", "8"}, {"MPI_LOCALRANKID", "1"}, {"MPI_LOCALNRANKS", "4"},
      {"PALS_RANKID", "5"}, {"PALS_LOCAL_RANKID", "1"},
  }));
  ASSERT_EQ(reports.size(), 4u);
  EXPECT_EQ(reports[0].launcher, "Open MPI");
  EXPECT_EQ(reports[1].launcher, "Slurm");
  EXPECT_EQ(reports[2].launcher, "PMI");
  EXPECT_EQ(reports[3].launcher, "PALS");
  for (const auto& r : reports) {
    EXPECT_EQ(r.rank.number, 5) << r.launcher;
    EXPECT_EQ(r.local_rank.number, 1) << r.launcher;
    EXPECT_TRUE(r.problems.empty()) << r.launcher;
  }
  EXPECT_EQ(reports[0].local_size.number, 4);
  EXPECT_EQ(reports[2].local_size.number, 4);
  EXPECT_TRUE(reports[1].local_size.variable.empty());  // Slurm gives no per-node count
  EXPECT_TRUE(reports[3].size.variable.empty());        // PALS gives no world size
  EXPECT_EQ(reports[1].rank.variable, "SLURM_PROCID");
  EXPECT_TRUE(launcher_mismatches(reports, 5, 8, 1, 4).empty());
  EXPECT_EQ(describe_launchers({reports[0], reports[1]}),
            "Open MPI rank 5/8 local 1/4; Slurm rank 5/8 local 1");
}

TEST(Launchers, OneVariableIsEnoughToSeeALauncher) {
  const auto reports = read_launchers(fake_env({{"PALS_LOCAL_RANKID", "2"}}));
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].launcher, "PALS");
  EXPECT_FALSE(reports[0].rank.number.has_value());
  EXPECT_EQ(describe_launchers(reports), "PALS local 2");
}

TEST(Launchers, ReportsEveryDisagreementWithMpiNamingTheVariable) {
  const auto reports = read_launchers(fake_env({
      {"SLURM_PROCID", "3"}, {"SLURM_NTASKS", "4"}, {"SLURM_LOCALID", "1"}}));
  const auto found = launcher_mismatches(reports, 0, 1, 0, 1);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_NE(found[0].find("SLURM_PROCID=3 but MPI's rank is 0"), std::string::npos) << found[0];
  EXPECT_NE(found[1].find("SLURM_NTASKS=4 but MPI's world has 1 rank(s)"), std::string::npos)
      << found[1];
  EXPECT_NE(found[2].find("SLURM_LOCALID=1 but MPI's shared-memory split gives local rank 0"),
            std::string::npos)
      << found[2];
  EXPECT_NE(found[2].find("--ntasks-per-node"), std::string::npos) << found[2];
}

TEST(Launchers, LocalRankAndLocalSizeAreCheckedWhenTheWorldAgrees) {
  const auto reports = read_launchers(fake_env({
      {"OMPI_COMM_WORLD_RANK", "2"}, {"OMPI_COMM_WORLD_SIZE", "4"},
      {"OMPI_COMM_WORLD_LOCAL_RANK", "0"}, {"OMPI_COMM_WORLD_LOCAL_SIZE", "2"}}));
  EXPECT_TRUE(launcher_mismatches(reports, 2, 4, 0, 2).empty());
  const auto found = launcher_mismatches(reports, 2, 4, 2, 4);  // MPI sees one node of four
  ASSERT_EQ(found.size(), 2u);
  EXPECT_NE(found[0].find("OMPI_COMM_WORLD_LOCAL_RANK=0 but MPI's shared-memory split gives "
                          "local rank 2"),
            std::string::npos)
      << found[0];
  EXPECT_NE(found[1].find("OMPI_COMM_WORLD_LOCAL_SIZE=2 but MPI's shared-memory split puts 4"),
            std::string::npos)
      << found[1];
}

// mpirun inside an sbatch job: every rank inherits the allocation's Slurm variables (here those
// of the batch step on the first node), which do not describe the rank; Open MPI's do.
TEST(Launchers, VariablesInheritedFromAnEnclosingJobAreNotMismatches) {
  const auto reports = read_launchers(fake_env({
      {"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "8"}, {"SLURM_LOCALID", "0"},
      {"OMPI_COMM_WORLD_RANK", "3"}, {"OMPI_COMM_WORLD_SIZE", "4"},
      {"OMPI_COMM_WORLD_LOCAL_RANK", "3"}, {"OMPI_COMM_WORLD_LOCAL_SIZE", "4"}}));
  EXPECT_TRUE(launcher_mismatches(reports, 3, 4, 3, 4).empty());
  // Rank 0 of the same run: Slurm's rank happens to match but its size does not.
  const auto rank0 = read_launchers(fake_env({
      {"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "8"}, {"SLURM_LOCALID", "0"},
      {"OMPI_COMM_WORLD_RANK", "0"}, {"OMPI_COMM_WORLD_SIZE", "4"}}));
  EXPECT_TRUE(launcher_mismatches(rank0, 0, 4, 0, 4).empty());
  // A launcher that gives only a local rank contradicts nothing, so it is still checked.
  const auto local_only = read_launchers(fake_env({
      {"SLURM_LOCALID", "5"}, {"OMPI_COMM_WORLD_RANK", "1"}, {"OMPI_COMM_WORLD_SIZE", "2"}}));
  EXPECT_EQ(launcher_mismatches(local_only, 1, 2, 1, 2).size(), 1u);
  // With no launcher agreeing, the Slurm variables are all there is: they are reported.
  const auto alone = read_launchers(fake_env({{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "8"}}));
  EXPECT_EQ(launcher_mismatches(alone, 0, 4, 0, 4).size(), 1u);
}

TEST(Launchers, MalformedValuesAreReportedNotTrusted) {
  const auto reports = read_launchers(fake_env({
      {"SLURM_LOCALID", "one"}, {"SLURM_PROCID", "-2"}, {"SLURM_NTASKS", "4x"}}));
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_FALSE(reports[0].local_rank.number.has_value());
  EXPECT_FALSE(reports[0].rank.number.has_value());
  EXPECT_FALSE(reports[0].size.number.has_value());
  const auto found = launcher_mismatches(reports, 0, 1, 0, 1);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_NE(found[0].find("SLURM_PROCID='-2' is not a non-negative integer"), std::string::npos)
      << found[0];
  EXPECT_NE(found[1].find("SLURM_NTASKS='4x'"), std::string::npos) << found[1];
  EXPECT_NE(found[2].find("SLURM_LOCALID='one'"), std::string::npos) << found[2];
  EXPECT_EQ(describe_launchers(reports), "Slurm");
  const auto empty = read_launchers(fake_env({{"PMI_RANK", ""}}));
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(empty[0].problems.size(), 1u);
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

TEST(GpuChoice, ARankWithAGpuOfItsOwnUsesIt) {
  // --gpus-per-task=1: four ranks on the node, each seeing its own single GPU.
  EXPECT_EQ(gpu_for_local_rank(3, 4, 1, false, /*one_gpu_per_task=*/true), 0);
  EXPECT_THROW(gpu_for_local_rank(3, 4, 1, false, /*one_gpu_per_task=*/false), UserError);
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
