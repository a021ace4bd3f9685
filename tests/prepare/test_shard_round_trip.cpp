// Records and images -> shards -> ShardSet: same records in the same order, the original
// JPEG bytes, an image's records in one shard, identical files whatever the thread count.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "core/error.h"
#include "data/shard_reader.h"
#include "data/shard_verify.h"
#include "io/file.h"
#include "prepare_fixture.h"

namespace pose {
namespace {

namespace fs = std::filesystem;
using test::sample_annotations;
using test::sample_root;

class ShardRoundTripTest : public test::PrepareFixture {};

void expect_same_record(const PersonRecord& got, const PersonRecord& want) {
  EXPECT_EQ(got.image_id, want.image_id);
  EXPECT_EQ(got.annotation_id, want.annotation_id);
  EXPECT_EQ(got.image_width, want.image_width);
  EXPECT_EQ(got.image_height, want.image_height);
  EXPECT_EQ(got.center, want.center);
  EXPECT_EQ(got.scale, want.scale);
  EXPECT_EQ(got.box, want.box);
  EXPECT_EQ(got.area, want.area);
  EXPECT_EQ(got.score, want.score);
  for (std::size_t k = 0; k < want.joints.size(); ++k) {
    EXPECT_EQ(got.joints[k].x, want.joints[k].x);
    EXPECT_EQ(got.joints[k].y, want.joints[k].y);
    EXPECT_EQ(got.joints[k].visibility, want.joints[k].visibility);
  }
}

TEST_F(ShardRoundTripTest, RecordsAndJpegBytesComeBackInOrder) {
  const RecordSet set = gt_records(sample_annotations(), {});
  for (int shards : {1, 3, 6}) {  // 6 > 4 images: some shards are empty
    SCOPED_TRACE(shards);
    const ShardSet read = ShardSet::open(write(set, shards, "s" + std::to_string(shards)));
    ASSERT_EQ(read.size(), 12u);
    EXPECT_EQ(read.num_images(), 4u);
    EXPECT_EQ(read.shard_files().size(), static_cast<std::size_t>(shards));
    EXPECT_EQ(read.box_source(), "gt");
    std::size_t i = 0;
    std::vector<std::uint8_t> bytes;
    for (std::size_t image = 0; image < set.images.size(); ++image)
      for (const PersonRecord& want : set.records[image]) {
        expect_same_record(read.record(i), want);
        std::string why;
        EXPECT_TRUE(read.record_looks_valid(i, &why)) << why;
        read.read_jpeg(i, bytes);
        const std::string original = read_text_file(image_path(sample_root(), "val2017", want.image_id));
        EXPECT_EQ(std::string(bytes.begin(), bytes.end()), original) << "image " << want.image_id;
        ++i;
      }
    // All records of an image share one shard, and shards hold images in order.
    std::map<std::int64_t, std::set<int>> shards_of;
    int last_shard = 0;
    for (std::size_t r = 0; r < read.size(); ++r) {
      shards_of[read.image_of(r).image_id].insert(read.image_of(r).shard);
      EXPECT_GE(read.image_of(r).shard, last_shard);
      last_shard = read.image_of(r).shard;
    }
    for (const auto& [id, where] : shards_of) EXPECT_EQ(where.size(), 1u) << "image " << id;
    EXPECT_TRUE(verify_shards(read.path()).problems.empty());
    // The index file itself opens the set too.
    EXPECT_EQ(ShardSet::open(read.path() + "/index.json").size(), 12u);
  }
}

TEST_F(ShardRoundTripTest, ReadsFromManyThreadsAgree) {
  const ShardSet read = ShardSet::open(write(gt_records(sample_annotations(), {}), 2, "t"));
  std::vector<std::vector<std::uint8_t>> first(read.size());
  for (std::size_t i = 0; i < read.size(); ++i) read.read_jpeg(i, first[i]);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      std::vector<std::uint8_t> bytes;
      for (int round = 0; round < 20; ++round)
        for (std::size_t i = 0; i < read.size(); ++i) {
          read.read_jpeg((i + static_cast<std::size_t>(t)) % read.size(), bytes);
          mismatches[static_cast<std::size_t>(t)] += bytes != first[(i + static_cast<std::size_t>(t)) % read.size()];
        }
    });
  for (auto& t : threads) t.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

TEST_F(ShardRoundTripTest, FilesAreIdenticalWhateverTheThreadCountAndTheTime) {
  const RecordSet set = gt_records(sample_annotations(), {});
  const std::string a = write(set, 2, "a", 1);
  // HDF5 would store object times by default; the writer turns them off. Crossing a second
  // makes a stored time show.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const std::string b = write(set, 2, "b", 4);
  for (const char* file : {"val2017-00000-of-00002.h5", "val2017-00001-of-00002.h5", "index.json"})
    EXPECT_TRUE(read_text_file(a + "/" + file) == read_text_file(b + "/" + file)) << file;
}

TEST_F(ShardRoundTripTest, MissingImagesStopTheRunUnlessSkipped) {
  // A COCO root whose image 40083 is missing.
  const fs::path root = dir_ / "root";
  fs::create_directories(root / "val2017");
  for (const char* name : {"000000000785.jpg", "000000196141.jpg", "000000197388.jpg"})
    fs::copy_file(fs::path(sample_root()) / "val2017" / name, root / "val2017" / name);
  const RecordSet set = gt_records(sample_annotations(), {});
  ShardWriteOptions o;
  o.coco_root = root.string();
  o.split = "val2017";
  o.box_source = "gt";
  o.out_dir = (dir_ / "out").string();
  o.progress = false;
  try {
    write_shards(set, o);
    FAIL() << "a missing image must stop the run";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("000000040083.jpg"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir_ / "out" / "index.json"));

  o.skip_missing = true;
  const ShardWriteSummary summary = write_shards(set, o);
  EXPECT_EQ(summary.skipped_images, 1u);
  EXPECT_EQ(summary.images, 3u);
  EXPECT_EQ(summary.records, 10u);  // image 40083 had 2 of the 12
  EXPECT_EQ(ShardSet::open(o.out_dir).size(), 10u);

  // The images/<split>/ layout is found too.
  fs::create_directories(root / "images");
  fs::rename(root / "val2017", root / "images" / "val2017");
  EXPECT_EQ(image_path(root.string(), "val2017", 785), (root / "images" / "val2017" / "000000000785.jpg").string());
}

TEST_F(ShardRoundTripTest, AFileThatIsNotAJpegStopsTheRun) {
  const fs::path root = dir_ / "root";
  fs::create_directories(root / "val2017");
  for (const char* name : {"000000000785.jpg", "000000040083.jpg", "000000196141.jpg"})
    fs::copy_file(fs::path(sample_root()) / "val2017" / name, root / "val2017" / name);
  write_text_file((root / "val2017" / "000000197388.jpg").string(), "<html>not found</html>");
  ShardWriteOptions o;
  o.coco_root = root.string();
  o.split = "val2017";
  o.box_source = "gt";
  o.out_dir = (dir_ / "out").string();
  o.progress = false;
  o.threads = 3;
  try {
    write_shards(gt_records(sample_annotations(), {}), o);
    FAIL() << "a non-JPEG image file must stop the run";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("image 197388"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("000000197388.jpg"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace pose
