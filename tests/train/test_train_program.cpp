// pose_train and pose_eval as a user runs them, on a small synthetic dataset made here:
// - a tiny PoseResNet on the CPU lowers its loss clearly within a short run;
// - SIGUSR1 mid-run (2 ranks under mpiexec, which forwards it) or SIGTERM (one process, as
//   Slurm signals each task) checkpoints and exits with status 4, and --run.resume auto then
//   finishes with exactly the weights of an uninterrupted run;
// - pose_eval on 2 ranks writes the same results file and stats as on 1 rank.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "../common/paths.h"
#include "../common/run_command.h"
#include "model/weight_file.h"

namespace pose {
namespace {

using test::run_command;

using test::bin;

class TrainProgram : public ::testing::Test {
 protected:
  // One folder per process, so two builds' test runs on one machine do not meet.
  static std::string dir() {
    return (std::filesystem::temp_directory_path() / ("pose_test_train_program_" + std::to_string(getpid()))).string();
  }

  static void SetUpTestSuite() {
    std::filesystem::remove_all(dir());
    const std::string data = dir() + "/data";
    for (const std::string& command :
         {bin("pose_synth") + " --out " + data + " --train-images 96 --val-images 16 --seed 4",
          bin("pose_prepare") + " --coco-root " + data + " --split train2017 --boxes gt --shards 2 --out " + data +
              "/shards --quiet",
          bin("pose_prepare") + " --coco-root " + data + " --split val2017 --boxes gt --shards 1 --out " + data +
              "/shards --quiet"}) {
      const auto r = run_command(command);
      ASSERT_EQ(r.status, 0) << command << "\n" << r.output;
    }
  }

  static void TearDownTestSuite() { std::filesystem::remove_all(dir()); }

  // pose_train or pose_eval on `ranks` ranks with the tiny config, this test's data and run folder.
  static std::string command(const std::string& program, int ranks, const std::string& name,
                             const std::string& extra) {
    return test::mpi_launch() + " " + std::to_string(ranks) + " " + bin(program) + " --config " +
           test::source_dir() + "/configs/synthetic/tiny_cpu.ini --data.root " + dir() +
           "/data --run.output_dir " + dir() + "/runs --run.name " + name +
           " --data.loader_threads 1 --run.log_interval 5 " + extra;
  }

  static std::string run_dir(const std::string& name) { return dir() + "/runs/" + name; }

  // Runs `command` in the background, sends `signal` once the run's log has its first line,
  // and returns what the run returned.
  static test::CommandResult signal_after_first_log_line(const std::string& command, const std::string& name,
                                                         const std::string& signal) {
    const std::string log = run_dir(name) + "/train_log.jsonl";
    return run_command("bash -c '" + command + " & pid=$!; for i in $(seq 600); do [ -s " + log +
                           " ] && break; sleep 0.1; done; kill -" + signal + " $pid; wait $pid'",
                       600);
  }

  // Every tensor of the two checkpoints' weights, statistics and Adam moments is equal.
  static void expect_same_checkpoints(const std::string& a, const std::string& b) {
    for (const std::string group : {"params", "buffers", "adam_m", "adam_v"}) {
      const std::vector<NamedTensor> ta = read_weight_group(a, group), tb = read_weight_group(b, group);
      ASSERT_EQ(ta.size(), tb.size()) << group;
      for (std::size_t i = 0; i < ta.size(); ++i) {
        ASSERT_EQ(ta[i].name, tb[i].name);
        EXPECT_EQ(ta[i].values, tb[i].values) << group << "/" << ta[i].name << " differs after resuming";
      }
    }
  }

  // The run's log lines of one kind ("" for all).
  static std::vector<nlohmann::json> log_lines(const std::string& name, const std::string& kind = "train") {
    std::vector<nlohmann::json> lines;
    std::ifstream in(run_dir(name) + "/train_log.jsonl");
    for (std::string line; std::getline(in, line);) {
      const nlohmann::json j = nlohmann::json::parse(line);
      if (kind.empty() || j["kind"] == kind) lines.push_back(j);
    }
    return lines;
  }
};

TEST_F(TrainProgram, ATinyNetworkLowersItsLoss) {
  const auto r = run_command(
      command("pose_train", 1, "loss", "--train.epochs 10 --train.lr_steps 9 --run.val_interval 10"),
      600);
  ASSERT_EQ(r.status, 0) << r.output;
  const std::vector<nlohmann::json> lines = log_lines("loss");
  ASSERT_GE(lines.size(), 8u);
  const double first = lines.front()["loss"], last = lines.back()["loss"];
  EXPECT_LT(last, 0.8 * first) << "first " << first << ", last " << last;
  EXPECT_NE(r.output.find("COCO keypoint AP on val2017 (ground-truth boxes, flip test on (shift column)"),
            std::string::npos)
      << r.output;
  EXPECT_TRUE(std::filesystem::exists(run_dir("loss") + "/checkpoint_latest.h5"));
  // Every line has a wall-clock time, in order; the validation line has all 10 COCO numbers.
  double previous = 0;
  for (const nlohmann::json& line : log_lines("loss", "")) {
    ASSERT_TRUE(line.contains("time")) << line.dump();
    EXPECT_GE(line["time"].get<double>(), previous) << line.dump();
    previous = line["time"];
  }
  EXPECT_GT(previous, 1.7e9) << "time is not seconds since the Unix epoch";
  const std::vector<nlohmann::json> validations = log_lines("loss", "validation");
  ASSERT_EQ(validations.size(), 1u);
  for (const char* stat : {"AP", "AP50", "AP75", "APm", "APl", "AR", "AR50", "AR75", "ARm", "ARl"})
    EXPECT_TRUE(validations[0].contains(stat) && validations[0][stat].is_number()) << stat << ": "
                                                                                    << validations[0].dump();
}

TEST_F(TrainProgram, ResumingAfterASignalGivesTheUninterruptedWeights) {
  const std::string args = "--train.epochs 3 --train.lr_steps 2 --run.val_interval 100";
  const auto straight = run_command(command("pose_train", 2, "straight", args), 600);
  ASSERT_EQ(straight.status, 0) << straight.output;

  const auto stopped = signal_after_first_log_line(command("pose_train", 2, "stopped", args), "stopped", "USR1");
  ASSERT_EQ(stopped.status, 4) << stopped.output;
  EXPECT_NE(stopped.output.find("checkpoint written"), std::string::npos) << stopped.output;

  const auto resumed = run_command(command("pose_train", 2, "stopped", args + " --run.resume auto"), 600);
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("resumed from"), std::string::npos) << resumed.output;
  expect_same_checkpoints(run_dir("straight") + "/checkpoint_latest.h5", run_dir("stopped") + "/checkpoint_latest.h5");
}

TEST_F(TrainProgram, SigtermToOneProcessCheckpointsAndResumes) {
  // One process started without mpiexec (MPI's singleton mode), as a debugging user runs it.
  const auto direct = [](const std::string& name, const std::string& extra) {
    return bin("pose_train") + " --config " + test::source_dir() + "/configs/synthetic/tiny_cpu.ini --data.root " +
           dir() + "/data --run.output_dir " + dir() + "/runs --run.name " + name +
           " --data.loader_threads 1 --run.log_interval 5 --train.epochs 2 --train.lr_steps 1 --run.val_interval 100" +
           extra;
  };
  const auto straight = run_command(direct("term_straight", ""), 600);
  ASSERT_EQ(straight.status, 0) << straight.output;
  const auto stopped = signal_after_first_log_line(direct("term_stopped", ""), "term_stopped", "TERM");
  ASSERT_EQ(stopped.status, 4) << stopped.output;
  EXPECT_NE(stopped.output.find("stop signal 15"), std::string::npos) << stopped.output;
  const auto resumed = run_command(direct("term_stopped", " --run.resume auto"), 600);
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  expect_same_checkpoints(run_dir("term_straight") + "/checkpoint_latest.h5",
                          run_dir("term_stopped") + "/checkpoint_latest.h5");
}

TEST_F(TrainProgram, TwoRankEvaluationWritesTheSameResultsAsOneRank) {
  const auto trained = run_command(
      command("pose_train", 1, "evaluated", "--train.epochs 2 --train.lr_steps 1 --run.val_interval 100"), 600);
  ASSERT_EQ(trained.status, 0) << trained.output;
  const std::string results = run_dir("evaluated") + "/results/keypoints_val2017_results.json";
  auto read = [&] {
    std::ifstream in(results);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  // Same batch size on both sides: the network always runs whole batches, so every matrix
  // product has the same shape and sums in the same order whatever the rank count.
  const auto one = run_command(command("pose_eval", 1, "evaluated", "--test.batch_size 4"), 600);
  EXPECT_NE(one.output.find("checkpoint_best.h5"), std::string::npos) << one.output;
  ASSERT_EQ(one.status, 0) << one.output;
  const std::string one_results = read();
  // The short flags, and the same weights named explicitly (the latest checkpoint is the best
  // one here: validation ran once, at the end).
  const auto two = run_command(
      command("pose_eval", 2, "evaluated",
              "--batch 4 --flip on --boxes gt --model " + run_dir("evaluated") + "/checkpoint_latest.h5"),
      600);
  ASSERT_EQ(two.status, 0) << two.output;
  EXPECT_FALSE(one_results.empty());
  EXPECT_EQ(read(), one_results);
  const auto table = [](const std::string& out) {
    const std::size_t begin = out.find(" Average Precision");
    return out.substr(begin, out.find("\n\n", begin) - begin);
  };
  EXPECT_EQ(table(two.output), table(one.output));
  EXPECT_NE(two.output.find("ground-truth boxes, flip test on"), std::string::npos) << two.output;
}

}  // namespace
}  // namespace pose
