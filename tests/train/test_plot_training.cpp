// scripts/plot_training.py: two logs in the form pose_train writes make one PNG; a damaged log
// is refused with its file and line named, and no picture is left behind. Needs Debian's
// python3-matplotlib (scripts/install_deps.sh installs it); fails without it, and skips only
// where POSE_NO_PYTHON_TESTS is set (a machine without Python by design, such as the GPU host).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "../common/paths.h"
#include "../common/run_command.h"

namespace pose {
namespace {

namespace fs = std::filesystem;

class PlotTraining : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::getenv("POSE_NO_PYTHON_TESTS")) GTEST_SKIP() << "POSE_NO_PYTHON_TESTS is set";
    dir_ = fs::temp_directory_path() / ("pose_test_plot_" + std::to_string(getpid()) + "_" + std::string(
        ::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // A log of `epochs` epochs, two training lines each and a validation line per epoch.
  std::string write_log(const std::string& run, int epochs, double start_time) const {
    fs::create_directories(dir_ / run);
    const std::string path = (dir_ / run / "train_log.jsonl").string();
    std::ofstream out(path);
    double t = start_time;
    for (int e = 1; e <= epochs; ++e) {
      for (int step = 5; step <= 10; step += 5)
        out << "{\"kind\": \"train\", \"epoch\": " << e << ", \"step\": " << step
            << ", \"steps_per_epoch\": 10, \"loss\": " << 0.01 / (e + step / 10.0) << ", \"accuracy\": " << 0.05 * e
            << ", \"lr\": 0.001, \"time\": " << (t += 30) << "}\n";
      out << "{\"kind\": \"validation\", \"epoch\": " << e << ", \"AP\": " << 0.1 * e
          << ", \"AP50\": 0.5, \"time\": " << (t += 10) << "}\n";
    }
    return path;
  }

  std::string script() const { return "/usr/bin/python3 " + test::source_dir() + "/scripts/plot_training.py"; }

  fs::path dir_;
};

TEST_F(PlotTraining, TwoRunsMakeOnePng) {
  const std::string a = write_log("run_a", 3, 1.7e9), b = write_log("run_b", 2, 1.8e9);
  const std::string png = (dir_ / "curves.png").string();
  const test::CommandResult r = test::run_command(script() + " --out " + png + " " + a + " " + b);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("2 run(s)"), std::string::npos) << r.output;
  std::ifstream in(png, std::ios::binary);
  char signature[8] = {};
  in.read(signature, 8);
  EXPECT_EQ(std::string(signature + 1, 3), "PNG");
  EXPECT_GT(fs::file_size(png), 10000u) << "an 8-panel figure is more than a blank image";
}

TEST_F(PlotTraining, ADamagedLogIsNamedWithItsLine) {
  const std::string a = write_log("run_a", 2, 1.7e9);
  std::ofstream(a, std::ios::app) << "{\"kind\": \"train\", \"epoch\": 3, \"loss\n";
  const std::string png = (dir_ / "curves.png").string();
  const test::CommandResult r = test::run_command(script() + " --out " + png + " " + a);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("train_log.jsonl' line 7"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(png));
}

TEST_F(PlotTraining, MissingArgumentsAreAUsageError) {
  const test::CommandResult r = test::run_command(script() + " " + write_log("run_a", 1, 1.7e9));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("--out"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace pose
