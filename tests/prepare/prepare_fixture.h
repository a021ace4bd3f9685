// Shared by the prepare tests: where the COCO sample is, a fresh temporary folder per test,
// and a shard writer with test defaults.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "../common/paths.h"
#include "data/coco_records.h"
#include "data/shard_writer.h"

namespace pose::test {

// tests/data/coco_sample: a COCO root with 4 val2017 images (see its SOURCE.md).
inline std::string sample_root() { return test_data_dir() + "/coco_sample"; }
inline std::string sample_annotations() { return sample_root() + "/annotations/person_keypoints_val2017.json"; }
inline std::string sample_detections() { return sample_root() + "/detections/test_coco_det_AP_H_56.json"; }

class PrepareFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("pose_test_prepare_" + std::string(info->test_suite_name()) + "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Writes `set` (val2017 images of the sample) to <dir_>/<name>; returns that split folder.
  std::string write(const RecordSet& set, int shards, const std::string& name, int threads = 2) {
    ShardWriteOptions o;
    o.coco_root = sample_root();
    o.split = "val2017";
    o.box_source = "gt";
    o.out_dir = (dir_ / name).string();
    o.shards = shards;
    o.threads = threads;
    o.progress = false;
    write_shards(set, o);
    return o.out_dir;
  }

  std::filesystem::path dir_;
};

}  // namespace pose::test
