// What the programs print, as a user following a job sees it:
// - every log line starts with the wall-clock time (UTC) and the seconds since start;
// - pose_train copies its console output, from the first line, to <run>/console.log;
// - pose_prepare rewrites its progress line in place (with an ETA) only on a terminal (here a
//   pseudo-terminal made by script(1)); into a pipe or file it writes the final line alone.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>

#include "../common/paths.h"
#include "../common/run_command.h"

namespace pose {
namespace {

namespace fs = std::filesystem;
using test::run_command;

using test::bin;

class Logs : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pose_test_logs_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(Logs, LinesCarryClockTimeAndTheConsoleIsCopiedToTheRunFolder) {
  // The data is missing, so the run stops right after opening its run folder.
  const auto r = run_command(bin("pose_train") + " --config " + test::source_dir() +
                             "/configs/synthetic/tiny_cpu.ini --data.root " + (dir_ / "nodata").string() +
                             " --run.output_dir " + (dir_ / "runs").string());
  EXPECT_EQ(r.status, 2) << r.output;
  const std::regex prefix(R"(^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ +\d+\.\ds\] )");
  std::istringstream lines(r.output);
  int stamped = 0;
  for (std::string line; std::getline(lines, line);)  // log lines, not the config's [sections]
    if (line.size() > 1 && line[0] == '[' && (line[1] == ' ' || std::isdigit(static_cast<unsigned char>(line[1])))) {
      EXPECT_TRUE(std::regex_search(line, prefix)) << line;
      ++stamped;
    }
  EXPECT_GT(stamped, 2) << r.output;

  std::ifstream in(dir_ / "runs" / "tiny_cpu" / "console.log");
  const std::string copy((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(copy.find("effective config"), std::string::npos) << copy;  // printed before the folder existed
  EXPECT_NE(copy.find("error: "), std::string::npos) << copy;           // the stop itself
}

TEST_F(Logs, TheProgressLineIsRewrittenOnlyOnATerminal) {
  const std::string data = (dir_ / "coco").string();
  ASSERT_EQ(run_command(bin("pose_synth") + " --out " + data + " --train-images 300 --val-images 0").status, 0);
  const std::string prepare = bin("pose_prepare") + " --coco-root " + data + " --split train2017 --threads 1 --out ";
  const auto piped = run_command(prepare + (dir_ / "piped").string());
  ASSERT_EQ(piped.status, 0) << piped.output;
  EXPECT_EQ(piped.output.find('\r'), std::string::npos) << "a rewritten line went into a pipe";
  EXPECT_NE(piped.output.find("300/300 images"), std::string::npos) << piped.output;
  EXPECT_EQ(piped.output.find("256/300 images"), std::string::npos) << piped.output;

  const auto terminal = run_command("script -qec '" + prepare + (dir_ / "terminal").string() + "' /dev/null");
  ASSERT_EQ(terminal.status, 0) << terminal.output;
  EXPECT_NE(terminal.output.find("\r  256/300 images"), std::string::npos) << terminal.output;
  EXPECT_NE(terminal.output.find("ETA "), std::string::npos) << terminal.output;
}

}  // namespace
}  // namespace pose
