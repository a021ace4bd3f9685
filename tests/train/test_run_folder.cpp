// pose_train's care for the run folder, with real processes on a small synthetic dataset:
// - a fresh start (or a start from another checkpoint) in a folder holding an earlier run is
//   refused, names the folder and the ways on, and leaves every file as it was;
// - run.overwrite replaces the earlier run: the log holds one run only;
// - a second job in a folder that a live job trains into is refused, naming the holder, and
//   once that job is killed (kill -9, so it cleans nothing up) the folder is free again.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "../common/paths.h"
#include "../common/run_command.h"

namespace pose {
namespace {

namespace fs = std::filesystem;
using test::run_command;

using test::bin;

using test::read_file;

class RunFolder : public ::testing::Test {
 protected:
  static std::string dir() {
    return (fs::temp_directory_path() / ("pose_test_run_folder_" + std::to_string(getpid()))).string();
  }

  static void SetUpTestSuite() {
    fs::remove_all(dir());
    const std::string data = dir() + "/data";
    for (const std::string& command :
         {bin("pose_synth") + " --out " + data + " --train-images 16 --val-images 0 --seed 2",
          bin("pose_prepare") + " --coco-root " + data + " --split train2017 --boxes gt --shards 1 --out " + data +
              "/shards --quiet"}) {
      const auto r = run_command(command);
      ASSERT_EQ(r.status, 0) << command << "\n" << r.output;
    }
  }

  static void TearDownTestSuite() { fs::remove_all(dir()); }

  static std::string run_dir(const std::string& name) { return dir() + "/runs/" + name; }

  // One pose_train process (no launcher) with the tiny config on this test's data, no validation.
  static std::string train(const std::string& name, const std::string& extra) {
    return bin("pose_train") + " --config " + test::source_dir() + "/configs/synthetic/tiny_cpu.ini --data.root " +
           dir() + "/data --data.val_shards \"\" --run.output_dir " + dir() + "/runs --run.name " + name +
           " --data.loader_threads 1 --run.log_interval 1 " + extra;
  }

  static std::vector<long> global_steps(const std::string& name) {
    std::vector<long> steps;
    std::ifstream in(run_dir(name) + "/train_log.jsonl");
    for (std::string line; std::getline(in, line);) {
      const nlohmann::json j = nlohmann::json::parse(line);
      if (j["kind"] == "train") steps.push_back(j["global_step"]);
    }
    return steps;
  }
};

TEST_F(RunFolder, AStartThatWouldOverwriteAnEarlierRunIsRefused) {
  const fs::path run = run_dir("earlier");
  fs::create_directories(run);
  const std::map<std::string, std::string> files = {{"checkpoint_latest.h5", "latest weights"},
                                                    {"checkpoint_best.h5", "best weights"},
                                                    {"train_log.jsonl", "{\"kind\": \"train\"}\n"},
                                                    {"config.ini", "[run]\n"}};
  for (const auto& [name, text] : files) std::ofstream(run / name) << text;
  std::ofstream(dir() + "/other.h5") << "another run's checkpoint";

  for (const std::string& start : {std::string(""), "--run.resume " + dir() + "/other.h5"}) {
    const auto r = run_command(train("earlier", start));
    EXPECT_EQ(r.status, 2) << start << "\n" << r.output;
    EXPECT_NE(r.output.find("run folder '" + run.string() + "' holds an earlier run"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("--run.resume auto"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("--run.overwrite true"), std::string::npos) << r.output;
    for (const auto& [name, text] : files) EXPECT_EQ(read_file(run / name), text) << name << " was touched";
  }
}

TEST_F(RunFolder, OverwriteReplacesTheEarlierRun) {
  const std::string args = "--train.epochs 2 --train.lr_steps 1";
  const auto first = run_command(train("replaced", args));
  ASSERT_EQ(first.status, 0) << first.output;
  const std::vector<long> once = global_steps("replaced");
  ASSERT_FALSE(once.empty());

  const auto again = run_command(train("replaced", args + " --run.overwrite true"));
  ASSERT_EQ(again.status, 0) << again.output;
  EXPECT_NE(again.output.find("run.overwrite: removed 'train_log.jsonl'"), std::string::npos) << again.output;
  EXPECT_EQ(global_steps("replaced"), once) << "the log holds more than the new run";
}

TEST_F(RunFolder, ASecondJobIsRefusedWhileTheFirstLives) {
  const std::string log = run_dir("shared") + "/train_log.jsonl";
  // The first job trains "forever"; once it has logged, a second job tries the same folder,
  // then the first is killed with SIGKILL and a third job may use the folder.
  const std::string script = train("shared", "--train.epochs 100000 --train.lr_steps 1") +
                             " >/dev/null 2>&1 & first=$!; for i in $(seq 600); do [ -s " + log +
                             " ] && break; sleep 0.1; done; echo first=$first; " +
                             train("shared", "--run.resume auto --train.epochs 100000 --train.lr_steps 1") +
                             "; echo second_status=$?; kill -9 $first; wait $first; " +
                             train("shared", "--run.resume auto --train.epochs 2 --train.lr_steps 1") +
                             "; echo third_status=$?";
  const auto r = run_command("bash -c '" + script + "'", 300);
  const std::size_t at = r.output.find("first=");
  ASSERT_NE(at, std::string::npos) << r.output;
  const std::string first_pid = r.output.substr(at + 6, r.output.find('\n', at) - at - 6);
  EXPECT_NE(r.output.find("second_status=2"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("is in use by another training job"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("process " + first_pid + ","), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("third_status=0"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace pose
