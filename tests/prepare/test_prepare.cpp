// COCO -> records -> shards on the real COCO sample: record rules, counts, round trip,
// determinism, and damaged inputs (malformed JSON, bytes outside the file, NaN joints).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "../common/paths.h"
#include "../common/run_command.h"
#include "core/error.h"
#include "data/coco_records.h"
#include "data/shard_reader.h"
#include "data/shard_verify.h"
#include "data/shard_writer.h"
#include "io/file.h"
#include "io/hdf5_file.h"

namespace pose {
namespace {

namespace fs = std::filesystem;

std::string sample_root() { return test::test_data_dir() + "/coco_sample"; }
std::string sample_annotations() { return sample_root() + "/annotations/person_keypoints_val2017.json"; }
std::string sample_detections() { return sample_root() + "/detections/test_coco_det_AP_H_56.json"; }

class PrepareTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pose_test_prepare_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

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

  fs::path dir_;
};

TEST_F(PrepareTest, GroundTruthRecordsFollowTheReferenceRules) {
  // 14 annotations on 4 images; by the reference's rules 12 remain (worked out with the
  // sanitation, area and labelled-keypoint rules of REFERENCE.md section 1).
  const RecordSet set = gt_records(sample_annotations(), {});
  EXPECT_EQ(set.images.size(), 4u);
  EXPECT_EQ(set.num_records(), 12u);
  // Annotation 442619 of image 785: bbox [280.79, 44.73, 218.7, 346.68] on a 640x425 image.
  // Clean box: x1 = 280.79, y1 = 44.73, x2 = min(639, 280.79 + 217.7) = 498.49,
  // y2 = min(424, 44.73 + 345.68) = 390.41 -> w = 217.7, h = 345.68.
  // Centre (389.64, 217.57); 217.7 < 0.75 * 345.68 so w = 259.26; scale = (w, h) / 200 * 1.25.
  const PersonRecord* r = nullptr;
  for (const auto& records : set.records)
    for (const auto& candidate : records)
      if (candidate.annotation_id == 442619) r = &candidate;
  ASSERT_NE(r, nullptr);
  EXPECT_NEAR(r->center[0], 389.64, 1e-3);
  EXPECT_NEAR(r->center[1], 217.57, 1e-3);
  EXPECT_NEAR(r->scale[0], 345.68 * 0.75 / 200 * 1.25, 1e-4);
  EXPECT_NEAR(r->scale[1], 345.68 / 200 * 1.25, 1e-4);
  EXPECT_NEAR(r->box[2], 217.7, 1e-3);
  EXPECT_EQ(r->joints[0].x, 367);
  EXPECT_EQ(r->joints[0].visibility, 2);
  EXPECT_EQ(r->score, 1.0f);
}

TEST_F(PrepareTest, DetectorRecordsKeepEveryPersonBoxAboveTheThreshold) {
  const RecordSet all = detector_records(sample_annotations(), sample_detections(), 0.0, {});
  EXPECT_EQ(all.num_records(), 118u);  // every entry of the file is category 1
  const RecordSet confident = detector_records(sample_annotations(), sample_detections(), 0.5, {});
  EXPECT_LT(confident.num_records(), 118u);
  for (const auto& records : confident.records)
    for (const auto& r : records) {
      EXPECT_GE(r.score, 0.5f);
      EXPECT_EQ(r.annotation_id, -1);
      EXPECT_NEAR(r.area, r.box[2] * r.box[3], 1e-2);
    }
}

TEST_F(PrepareTest, ShardsRoundTripRecordsAndOriginalJpegBytes) {
  const RecordSet set = gt_records(sample_annotations(), {});
  for (int shards : {1, 3}) {
    const ShardSet read = ShardSet::open(write(set, shards, "s" + std::to_string(shards)));
    ASSERT_EQ(read.size(), 12u);
    EXPECT_EQ(read.shard_files().size(), static_cast<std::size_t>(shards));
    std::size_t i = 0;
    std::vector<std::uint8_t> bytes;
    for (std::size_t image = 0; image < set.images.size(); ++image)
      for (const PersonRecord& want : set.records[image]) {
        const PersonRecord& got = read.record(i);
        EXPECT_EQ(got.annotation_id, want.annotation_id);
        EXPECT_EQ(got.center, want.center);
        EXPECT_EQ(got.scale, want.scale);
        EXPECT_EQ(got.joints[16].y, want.joints[16].y);
        read.read_jpeg(i, bytes);
        const std::string original = read_text_file(image_path(sample_root(), "val2017", want.image_id));
        EXPECT_EQ(std::string(bytes.begin(), bytes.end()), original) << "image " << want.image_id;
        ++i;
      }
    // All records of an image share one shard.
    std::map<std::int64_t, std::set<int>> shards_of;
    for (std::size_t r = 0; r < read.size(); ++r) shards_of[read.image_of(r).image_id].insert(read.image_of(r).shard);
    for (const auto& [id, where] : shards_of) EXPECT_EQ(where.size(), 1u) << "image " << id;
    EXPECT_TRUE(verify_shards(read.path()).problems.empty());
  }
}

TEST_F(PrepareTest, OutputDoesNotDependOnTheThreadCount) {
  const RecordSet set = gt_records(sample_annotations(), {});
  const std::string a = write(set, 2, "a", 1), b = write(set, 2, "b", 4);
  for (const char* file : {"val2017-00000-of-00002.h5", "val2017-00001-of-00002.h5", "index.json"})
    EXPECT_EQ(read_text_file(a + "/" + file), read_text_file(b + "/" + file)) << file;
}

TEST_F(PrepareTest, MalformedAnnotationsNameTheItem) {
  const std::string path = (dir_ / "bad.json").string();
  write_text_file(path, R"({"images": [{"id": 1, "width": 10, "height": 10}],
    "annotations": [{"id": 7, "image_id": 1, "category_id": 1, "iscrowd": 0, "area": 5,
                     "bbox": [0, 0, 5, 5], "keypoints": [1, 2, 2]}]})");
  try {
    gt_records(path, {});
    FAIL() << "a keypoint list of 3 numbers must be refused";
  } catch (const UserError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("annotations[0] (id 7)"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'keypoints' must be a list of 51 numbers"), std::string::npos) << msg;
  }
  write_text_file(path, "{\"images\": [");
  EXPECT_THROW(gt_records(path, {}), UserError);
  write_text_file(path, R"({"images": [], "annotations": [{"id": 3, "image_id": 99}]})");
  EXPECT_THROW(gt_records(path, {}), UserError);
}

TEST_F(PrepareTest, DamagedShardsAreReportedByRecordWithoutCrashing) {
  const RecordSet set = gt_records(sample_annotations(), {});
  const std::string split = write(set, 1, "damaged");
  const std::string shard = split + "/val2017-00000-of-00001.h5";
  // Rewrite the image lengths so the last image runs past the end of the byte dataset, and a
  // NaN into one record's joints: both are per-record problems.
  {
    h5::Handle file(H5Fopen(shard.c_str(), H5F_ACC_RDWR, H5P_DEFAULT));
    std::vector<hsize_t> dims;
    std::vector<std::uint64_t> length = h5::read_dataset<std::uint64_t>(file, "images/length", dims);
    length.back() += 1000;
    h5::Handle lengths(H5Dopen2(file.get(), "images/length", H5P_DEFAULT));
    H5Dwrite(lengths.get(), H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, length.data());
    std::vector<float> joints = h5::read_dataset<float>(file, "instances/joints", dims);
    joints[4] = std::nanf("");
    h5::Handle joint_set(H5Dopen2(file.get(), "instances/joints", H5P_DEFAULT));
    H5Dwrite(joint_set.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, joints.data());
  }
  const ShardSet read = ShardSet::open(split);
  std::string why;
  EXPECT_FALSE(read.record_looks_valid(0, &why));
  EXPECT_NE(why.find("joint"), std::string::npos) << why;
  const std::size_t last = read.size() - 1;
  EXPECT_FALSE(read.record_looks_valid(last, &why));
  std::vector<std::uint8_t> bytes;
  EXPECT_THROW(read.read_jpeg(last, bytes), Error);
  const VerifyReport report = verify_shards(split);
  EXPECT_GE(report.problems.size(), 2u);
  EXPECT_NE(report.problems.front().find("record 0"), std::string::npos) << report.problems.front();

  // A truncated shard file cannot be opened, and the message names it.
  fs::resize_file(shard, fs::file_size(shard) / 2);
  try {
    ShardSet::open(split);
    FAIL() << "a truncated shard must not open";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("val2017-00000-of-00001.h5"), std::string::npos) << e.what();
  }
}

TEST_F(PrepareTest, TheProgramPreparesAndVerifies) {
  const auto r = test::run_command(test::bin_dir() + "/pose_prepare --coco-root " + sample_root() +
                                   " --split val2017 --boxes detector --det-file " + sample_detections() +
                                   " --shards 2 --quiet --out " + (dir_ / "p").string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("118 records"), std::string::npos) << r.output;
  const auto v = test::run_command(test::bin_dir() + "/pose_prepare --verify " + (dir_ / "p" / "val2017").string());
  EXPECT_EQ(v.status, 0) << v.output;
  const auto bad = test::run_command(test::bin_dir() + "/pose_prepare --coco-root " + sample_root() +
                                     " --split val2017 --boxes detector --out " + (dir_ / "q").string());
  EXPECT_EQ(bad.status, 2) << bad.output;
  EXPECT_NE(bad.output.find("--det-file"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace pose
