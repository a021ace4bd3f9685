// The programs as a user runs them: 2 MPI ranks, the shipped configs, bad input.
#include <gtest/gtest.h>

#include <string>

#include "../common/paths.h"
#include "../common/run_command.h"
#include "core/device_context.h"

namespace pose {
namespace {

using test::count_of;
using test::run_command;

std::string launch2(const std::string& program, const std::string& args) {
  return test::mpi_launch() + " 2 " + test::bin_dir() + "/" + program + " " + args;
}

std::string config_path(const std::string& name) { return test::source_dir() + "/configs/" + name; }

TEST(PoseTrain, PrintsTheShippedConfigOnceAcrossRanks) {
  const auto r = run_command(launch2(
      "pose_train", "--config " + config_path("coco/res50_256x192_adam_lr1e-3.ini") + " --print-config"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(count_of(r.output, "[train]"), 1) << r.output;
  EXPECT_EQ(count_of(r.output, "backbone = resnet50"), 1) << r.output;
}

TEST(PoseTrain, BadConfigStopsEveryRankWithOneMessage) {
  const auto r = run_command(launch2(
      "pose_train", "--config " + config_path("synthetic/tiny_cpu.ini") + " --train.lr abc"));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_EQ(count_of(r.output, "config error"), 1) << r.output;
  EXPECT_NE(r.output.find("train.lr"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("abc"), std::string::npos) << r.output;
}

TEST(PoseTrain, MissingDataStopsEveryRankWithOneMessage) {
  const auto r = run_command(launch2("pose_train", "--config " + config_path("synthetic/tiny_cpu.ini") +
                                                       " --data.root /nonexistent/pose_data"));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_EQ(count_of(r.output, "effective config"), 1) << r.output;
  EXPECT_NE(r.output.find("ranks: 2 on 1 node(s)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("/nonexistent/pose_data/shards/train2017"), std::string::npos) << r.output;
  EXPECT_EQ(count_of(r.output, "internal error"), 0) << r.output;
}

// run.device = auto on a machine without a GPU: said loudly, and refused where the CPU cannot
// be what was meant (FP16, or a batch job that should have had GPUs).
TEST(PoseTrain, AutoDeviceWithoutAGpuIsNeverSilent) {
  if (cuda_device_count() > 0) GTEST_SKIP() << "a GPU is visible: auto takes it";
  const std::string base = test::bin_dir() + "/pose_train --config " + config_path("synthetic/tiny_cpu.ini") +
                           " --run.device auto --data.root /nonexistent/pose_data";
  auto r = run_command("env -u SLURM_JOB_ID -u PBS_JOBID " + base);
  EXPECT_EQ(r.status, 2) << r.output;  // the missing data, after the device
  EXPECT_NE(r.output.find("run.device = auto found no GPU: computing on the CPU"), std::string::npos) << r.output;

  r = run_command("env -u SLURM_JOB_ID -u PBS_JOBID " + base + " --train.precision fp16 --run.comm nccl");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("train.precision = fp16 cannot run"), std::string::npos) << r.output;

  r = run_command("env -u PBS_JOBID SLURM_JOB_ID=777 " + base);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("run.device = auto inside Slurm job 777"), std::string::npos) << r.output;
  r = run_command("env -u SLURM_JOB_ID PBS_JOBID=12.server " + base);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("run.device = auto inside PBS job 12.server"), std::string::npos) << r.output;
}

TEST(PoseInfo, ReportsEveryRank) {
  const auto r = run_command(launch2("pose_info", ""));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("rank 0/2"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("rank 1/2"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace pose
