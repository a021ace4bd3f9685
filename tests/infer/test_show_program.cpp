// pose_show as a user runs it:
// - a results file holding the ground truth itself gives pictures whose two halves (ground
//   truth, prediction) match, and a shifted prediction makes them differ; an unknown id is
//   named and the others are drawn;
// - without a results file, the ground truth alone is drawn on the image;
// - --samples writes that many training samples, enlarged, with the targets drawn over them;
// - bad flags are usage errors (status 2) naming the flag.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "../common/paths.h"
#include "../common/run_command.h"
#include "io/file.h"
#include "viz/picture.h"

namespace pose {
namespace {

namespace fs = std::filesystem;
using test::run_command;

std::string sample_dir() { return test::test_data_dir() + "/coco_sample"; }
std::string gt_file() { return sample_dir() + "/annotations/person_keypoints_val2017.json"; }

class ShowProgram : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pose_test_show_" + std::to_string(getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The annotations of the sample as a results file, every x moved by `dx`.
  std::string results_from_gt(double dx) const {
    const nlohmann::json gt = nlohmann::json::parse(read_text_file(gt_file()));
    nlohmann::json results = nlohmann::json::array();
    for (const nlohmann::json& a : gt["annotations"]) {
      std::vector<double> k = a["keypoints"];
      for (std::size_t j = 0; j < k.size(); j += 3) {
        k[j] += dx;
        k[j + 2] = k[j + 2] > 0 ? 0.9 : 0.0;
      }
      results.push_back({{"image_id", a["image_id"]}, {"category_id", 1}, {"keypoints", k}, {"score", 0.8}});
    }
    const std::string path = (dir_ / ("results_" + std::to_string(dx) + ".json")).string();
    write_text_file(path, results.dump());
    return path;
  }

  std::string show(const std::string& args) const { return test::bin_dir() + "/pose_show " + args; }

  // Mean absolute difference between the left and right panels of a side-by-side picture.
  static double halves_difference(const Picture& p) {
    const int w = (p.width - 4) / 2;
    double sum = 0;
    for (int y = 0; y < p.height; ++y)
      for (int x = 0; x < w * 3; ++x)
        sum += std::abs(int(p.rgb[(std::size_t(y) * p.width) * 3 + x]) - int(p.rgb[(std::size_t(y) * p.width + w + 4) * 3 + x]));
    return sum / (double(p.height) * w * 3);
  }

  fs::path dir_;
};

TEST_F(ShowProgram, GroundTruthBesidePrediction) {
  const std::string out = (dir_ / "same").string(), moved = (dir_ / "moved").string();
  const auto same = run_command(show("--results " + results_from_gt(0) + " --gt " + gt_file() + " --images " +
                                     sample_dir() + "/val2017 --ids 785,12 --out " + out));
  ASSERT_EQ(same.status, 0) << same.output;
  EXPECT_NE(same.output.find("image id 12 is not in"), std::string::npos) << same.output;
  const Picture a = read_jpeg_picture(out + "/000000000785_gt_vs_pred.jpg");
  EXPECT_EQ(a.width, 2 * 640 + 4);
  EXPECT_EQ(a.height, 425);
  const auto shifted = run_command(show("--results " + results_from_gt(40) + " --gt " + gt_file() + " --images " +
                                        sample_dir() + "/val2017 --first 2 --out " + moved));
  ASSERT_EQ(shifted.status, 0) << shifted.output;
  EXPECT_EQ(test::count_of(shifted.output, "2 picture(s)"), 1) << shifted.output;
  const Picture b = read_jpeg_picture(moved + "/000000000785_gt_vs_pred.jpg");
  // JPEG noise only when the poses agree (the panels sit differently on its 8x8 blocks);
  // whole limbs apart when they do not.
  std::cout << "panel difference: same poses " << halves_difference(a) << ", moved " << halves_difference(b) << "\n";
  EXPECT_GT(halves_difference(b), 1.5 * halves_difference(a));
}

TEST_F(ShowProgram, GroundTruthAloneWithoutResults) {
  const std::string out = (dir_ / "gt").string();
  const auto r = run_command(show("--gt " + gt_file() + " --images " + sample_dir() + "/val2017 --first 1 --out " + out));
  ASSERT_EQ(r.status, 0) << r.output;
  const Picture drawn = read_jpeg_picture(out + "/000000000785_gt.jpg");
  const Picture plain = read_jpeg_picture(sample_dir() + "/val2017/000000000785.jpg");
  ASSERT_EQ(drawn.width, plain.width);
  ASSERT_EQ(drawn.height, plain.height);
  // The skeleton's strongly coloured pixels: few in the photo, many more once drawn.
  auto saturated = [](const Picture& p) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < p.rgb.size(); i += 3)
      n += std::max({p.rgb[i], p.rgb[i + 1], p.rgb[i + 2]}) - std::min({p.rgb[i], p.rgb[i + 1], p.rgb[i + 2]}) > 150;
    return n;
  };
  EXPECT_GT(saturated(drawn), saturated(plain) + 2000) << "no skeleton drawn";
}

TEST_F(ShowProgram, TrainingSamplesWithTheirTargets) {
  const std::string bin = test::bin_dir(), data = (dir_ / "data").string();
  for (const std::string& command :
       {bin + "/pose_synth --out " + data + " --train-images 4 --val-images 2 --seed 4",
        bin + "/pose_prepare --coco-root " + data + " --split train2017 --boxes gt --shards 1 --out " + data +
            "/shards --quiet"}) {
    const auto r = run_command(command);
    ASSERT_EQ(r.status, 0) << command << "\n" << r.output;
  }
  const auto r = run_command(show("--samples 3 --config " + test::source_dir() + "/configs/synthetic/tiny_cpu.ini " +
                                  "--data.root " + data + " --data.loader_threads 1 --out " + (dir_ / "samples").string()));
  ASSERT_EQ(r.status, 0) << r.output;
  std::size_t pictures = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(dir_ / "samples")) {
    const Picture p = read_jpeg_picture(e.path().string());
    EXPECT_EQ(p.width, 2 * 96) << "the 96x128 input, enlarged to at least 256 high";
    EXPECT_EQ(p.height, 2 * 128);
    ++pictures;
  }
  EXPECT_EQ(pictures, 3u);
}

TEST_F(ShowProgram, BadFlagsAreUsageErrors) {
  const auto none = run_command(show("--out " + dir_.string()));
  EXPECT_EQ(none.status, 2) << none.output;
  EXPECT_NE(none.output.find("--gt or --samples"), std::string::npos) << none.output;
  const auto bad = run_command(show("--samples many --out " + dir_.string()));
  EXPECT_EQ(bad.status, 2) << bad.output;
  EXPECT_NE(bad.output.find("--samples many"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace pose
