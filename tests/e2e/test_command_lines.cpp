// The programs' command lines behave alike: every program answers --help; a bad argument is a
// usage error (status 2) naming the flag as typed, never an uncaught exception or a silent
// default; sizes are WIDTHxHEIGHT everywhere; --flag=value works where --flag value does;
// pose_eval --flip takes a config's boolean words; pose_info's status can gate a job.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "../common/paths.h"
#include "../common/run_command.h"

namespace pose {
namespace {

using test::run_command;

using test::bin;

void expect_usage_error(const std::string& command, const std::string& named) {
  const auto r = run_command(command);
  EXPECT_EQ(r.status, 2) << command << "\n" << r.output;
  EXPECT_NE(r.output.find(named), std::string::npos) << command << "\n" << r.output;
  EXPECT_EQ(r.output.find("terminate called"), std::string::npos) << r.output;
}

TEST(CommandLines, EveryProgramAnswersHelp) {
  for (const std::string program : {"pose_train", "pose_eval", "pose_info", "pose_prepare", "pose_synth",
                                    "pose_coco_eval", "pose_bench_loader", "pose_bench_train_step",
                                    "pose_bench_coco_eval"}) {
    const auto r = run_command(bin(program) + " --help");
    EXPECT_EQ(r.status, 0) << program << "\n" << r.output;
    EXPECT_NE(r.output.find("sage"), std::string::npos) << program << "\n" << r.output;  // Usage / usage
  }
}

TEST(CommandLines, BadValuesNameTheFlag) {
  expect_usage_error(bin("pose_bench_train_step") + " --input 96x", "--input height");
  expect_usage_error(bin("pose_bench_train_step") + " --depth fifty", "--depth wants a whole number");
  expect_usage_error(bin("pose_bench_train_step") + " --batch 8,x", "--batch wants a whole number");
  expect_usage_error(bin("pose_bench_loader") + " --data x --input 96", "--input wants WIDTHxHEIGHT");
  expect_usage_error(bin("pose_bench_loader") + " --data x --seconds soon", "--seconds wants a number");
  expect_usage_error(bin("pose_bench_coco_eval") + " --out x --repeat many", "--repeat wants a whole number");
  expect_usage_error(bin("pose_info") + " --verbose", "unknown option '--verbose'");
  expect_usage_error(bin("pose_eval") + " --flip maybe --print-config", "--flip maybe");
  expect_usage_error(bin("pose_eval") + " --batch lots --print-config", "--batch wants a whole number");
}

TEST(CommandLines, SizesAreWidthByHeight) {
  // A CPU step of a tiny network at 32 wide x 64 high: the line reports the size as given.
  const auto r = run_command(bin("pose_bench_train_step") +
                             " --device cpu --depth 18 --base-width 8 --deconv-filters 8 --input 32x64 --batch 1"
                             " --steps 1 --warmup 0");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("ResNet-18/w8 32x64 batch"), std::string::npos) << r.output;
}

TEST(CommandLines, AssignmentsAndConfigWordsWork) {
  const std::string gt = test::test_data_dir() + "/coco_eval/gt_01.json";
  const std::string dt = test::test_data_dir() + "/coco_eval/dt_01.json";
  const auto spaced = run_command(bin("pose_coco_eval") + " --gt " + gt + " --results " + dt + " --json");
  const auto assigned = run_command(bin("pose_coco_eval") + " --gt=" + gt + " --results=" + dt + " --json");
  ASSERT_EQ(spaced.status, 0) << spaced.output;
  ASSERT_EQ(assigned.status, 0) << assigned.output;
  EXPECT_EQ(assigned.output, spaced.output);

  for (const std::string flip : {"--flip yes", "--flip=on", "--flip 1"}) {
    const auto r = run_command(bin("pose_eval") + " " + flip + " --print-config");
    EXPECT_EQ(r.status, 0) << flip << "\n" << r.output;
    EXPECT_NE(r.output.find("flip_test = true"), std::string::npos) << flip << "\n" << r.output;
  }
  const auto off = run_command(bin("pose_eval") + " --flip no --print-config");
  EXPECT_NE(off.output.find("flip_test = false"), std::string::npos) << off.output;
}

TEST(CommandLines, PoseInfoFailsWhenTheLaunchIsInconsistent) {
  // One process that Slurm's variables say is one of four: the launch is not what it seems.
  const auto r = run_command("env SLURM_NTASKS=4 SLURM_PROCID=2 SLURM_LOCALID=2 " + bin("pose_info"));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("disagreement"), std::string::npos) << r.output;
  const auto clean = run_command("env -u SLURM_NTASKS -u SLURM_PROCID -u SLURM_LOCALID " + bin("pose_info"));
  EXPECT_EQ(clean.status, 0) << clean.output;
}

}  // namespace
}  // namespace pose
