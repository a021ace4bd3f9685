// What a prepared split records of its making, and what uses it:
// - pose_prepare refuses to overwrite a split without --force; with it, stale shards of the
//   earlier preparation go; --name lets a GT-box and a detector-box split sit side by side;
// - index.json records the input size, box source, detector file and threshold, and a run
//   whose config disagrees is refused naming both values (pose_train for the input aspect;
//   the evaluation's checks on the same real shards);
// - pose_prepare refuses at write time what the reader would reject.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include <nlohmann/json.hpp>

#include "../common/run_command.h"
#include "config/config.h"
#include "core/error.h"
#include "data/shard_fit.h"
#include "data/shard_reader.h"
#include "io/file.h"
#include "prepare_fixture.h"

namespace pose {
namespace {

namespace fs = std::filesystem;
using test::sample_detections;
using test::sample_root;

class ShardProvenanceTest : public test::PrepareFixture {
 protected:
  test::CommandResult prepare(const std::string& arguments) {
    return test::run_command(test::bin_dir() + "/pose_prepare --coco-root " + sample_root() +
                             " --split val2017 --quiet --out " + (dir_ / "out").string() + " " + arguments);
  }
  std::vector<std::string> files_in(const fs::path& folder) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(folder)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  nlohmann::json index_of(const std::string& name) {
    return nlohmann::json::parse(read_text_file((dir_ / "out" / name / "index.json").string()));
  }
  // A copy of the COCO sample with the first match of `pattern` in its annotation file replaced.
  fs::path sample_with(const std::string& pattern, const std::string& replacement) {
    const fs::path root = dir_ / "coco";
    fs::copy(sample_root(), root, fs::copy_options::recursive);
    const fs::path file = root / "annotations" / "person_keypoints_val2017.json";
    const std::string text = read_text_file(file.string());
    const std::string changed =
        std::regex_replace(text, std::regex(pattern), replacement, std::regex_constants::format_first_only);
    EXPECT_NE(changed, text) << pattern;
    write_text_file(file.string(), changed);
    return root;
  }
};

TEST_F(ShardProvenanceTest, AnExistingSplitIsReplacedOnlyWithForce) {
  ASSERT_EQ(prepare("--shards 2").status, 0);
  const fs::path split = dir_ / "out" / "val2017";
  const std::string index = read_text_file((split / "index.json").string());
  const auto refused = prepare("--shards 1");
  EXPECT_EQ(refused.status, 2) << refused.output;
  EXPECT_NE(refused.output.find("'" + split.string() + "' already holds a prepared split"), std::string::npos)
      << refused.output;
  EXPECT_NE(refused.output.find("--force"), std::string::npos) << refused.output;
  EXPECT_EQ(read_text_file((split / "index.json").string()), index);

  std::ofstream(split / "val2017-00000-of-00001.h5.partial.otherhost.42") << "left by a killed run";
  const auto forced = prepare("--shards 1 --force");
  ASSERT_EQ(forced.status, 0) << forced.output;
  EXPECT_EQ(files_in(split), (std::vector<std::string>{"index.json", "val2017-00000-of-00001.h5"}));
  EXPECT_EQ(ShardSet::open(split.string()).size(), 12u);
}

TEST_F(ShardProvenanceTest, NamedSplitsSitSideBySideAndRecordTheirMaking) {
  ASSERT_EQ(prepare("--input-size 96x128").status, 0);
  const auto det = prepare("--boxes detector --det-file " + sample_detections() +
                           " --image-thre 0.5 --name val2017_detector");
  ASSERT_EQ(det.status, 0) << det.output;
  const nlohmann::json gt = index_of("val2017"), dt = index_of("val2017_detector");
  EXPECT_EQ(gt["box_source"], "gt");
  EXPECT_EQ(gt["input_width"], 96);
  EXPECT_EQ(gt["input_height"], 128);
  EXPECT_FALSE(gt.contains("det_file"));
  EXPECT_EQ(dt["split"], "val2017");
  EXPECT_EQ(dt["name"], "val2017_detector");
  EXPECT_EQ(dt["box_source"], "detector");
  EXPECT_EQ(dt["det_file"], "test_coco_det_AP_H_56.json");
  EXPECT_EQ(dt["image_thre"], 0.5);
  EXPECT_EQ(dt["input_width"], 192);
  EXPECT_EQ(files_in(dir_ / "out" / "val2017_detector"),
            (std::vector<std::string>{"index.json", "val2017_detector-00000-of-00001.h5"}));
  for (const std::string name : {"val2017", "val2017_detector"}) {
    const auto verified = test::run_command(test::bin_dir() + "/pose_prepare --verify " + (dir_ / "out" / name).string());
    EXPECT_EQ(verified.status, 0) << verified.output;
  }
}

TEST_F(ShardProvenanceTest, EvaluationRefusesShardsOfOtherBoxesOrThresholds) {
  ASSERT_EQ(prepare("--boxes detector --det-file " + sample_detections() + " --image-thre 0.5").status, 0);
  const ShardSet shards = ShardSet::open((dir_ / "out" / "val2017").string());
  Config c = default_config();
  c.test.use_gt_bbox = false;
  c.test.bbox_file = "test_coco_det_AP_H_56.json";
  c.test.image_thre = 0.5;
  check_eval_boxes(shards, c);  // as prepared
  auto error_of = [&](const Config& config) {
    try {
      check_eval_boxes(shards, config);
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  Config other = c;
  other.test.image_thre = 0;
  EXPECT_NE(error_of(other).find("at least 0.5 (pose_prepare --image-thre) but test.image_thre is 0"),
            std::string::npos) << error_of(other);
  other = c;
  other.test.bbox_file = "another_detector.json";
  EXPECT_NE(error_of(other).find("hold the boxes of 'test_coco_det_AP_H_56.json' but test.bbox_file is "
                                 "'another_detector.json'"), std::string::npos) << error_of(other);
  other = c;
  other.test.use_gt_bbox = true;
  EXPECT_NE(error_of(other).find("hold detector boxes but test.use_gt_bbox = true"), std::string::npos)
      << error_of(other);
  other = c;
  other.data.image_width = 96;
  other.data.image_height = 96;
  try {
    check_input_aspect(shards, other, "data.val_shards");
    FAIL() << "another aspect was accepted";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("prepared for 192x256 inputs"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("is 96x96"), std::string::npos) << e.what();
  }
}

TEST_F(ShardProvenanceTest, TrainingRefusesShardsOfAnotherAspect) {
  ASSERT_EQ(prepare("--input-size 128x128").status, 0);
  const auto r = test::run_command(test::bin_dir() + "/pose_train --config " + test::source_dir() +
                                   "/configs/synthetic/tiny_cpu.ini --data.root " + dir_.string() +
                                   " --data.train_shards out/val2017 --data.val_shards \"\" --run.output_dir " +
                                   (dir_ / "runs").string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("data.train_shards: the shards in '"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("prepared for 128x128 inputs"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("is 96x128"), std::string::npos) << r.output;
}

TEST_F(ShardProvenanceTest, PrepareRefusesWhatTheReaderWouldReject) {
  // An image whose JPEG is not the size the annotation file gives.
  fs::path root = sample_with("\"width\": 640", "\"width\": 641");
  auto r = test::run_command(test::bin_dir() + "/pose_prepare --coco-root " + root.string() +
                             " --split val2017 --quiet --out " + (dir_ / "o1").string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("but the annotation file says 641x"), std::string::npos) << r.output;
  fs::remove_all(root);

  // A keypoint beyond a float: infinite once stored.
  root = sample_with("\"keypoints\": \\[\\s*[0-9.]+", "\"keypoints\": [1e39");
  r = test::run_command(test::bin_dir() + "/pose_prepare --coco-root " + root.string() +
                        " --split val2017 --quiet --out " + (dir_ / "o2").string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("joint 0 is not finite"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "o2" / "val2017" / "index.json"));
}

}  // namespace
}  // namespace pose
