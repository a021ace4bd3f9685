// The loader on shards prepared from the real COCO sample: coverage, determinism across
// thread counts, evaluation geometry, targets, resume mid-epoch and corrupt records.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "../common/paths.h"
#include "../common/run_command.h"
#include "data/loader.h"
#include "data/sampler.h"
#include "data/shard_reader.h"

namespace pose {
namespace {

namespace fs = std::filesystem;

// Prepares the COCO sample (GT boxes) into `out`/val2017 with pose_prepare; returns the split.
std::string prepare(const fs::path& coco_root, const fs::path& out) {
  const auto r = test::run_command(test::bin_dir() + "/pose_prepare --coco-root " + coco_root.string() +
                                   " --split val2017 --boxes gt --shards 2 --threads 2 --out " + out.string());
  EXPECT_EQ(r.status, 0) << r.output;
  return (out / "val2017").string();
}

class LoaderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / "pose_test_loader";
    fs::remove_all(dir_);
    split_ = prepare(test::test_data_dir() + "/coco_sample", dir_ / "shards");
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static LoaderSettings settings(int threads, bool augment) {
    LoaderSettings s;
    s.batch_size = 4;
    s.threads = threads;
    s.prefetch_batches = 2;
    s.sample.augment = augment;
    return s;
  }

  // Every batch of one epoch of a single-rank sampler, copied out.
  struct Epoch {
    std::vector<float> images, targets, weights;
    std::vector<std::size_t> records;
  };
  static Epoch run_epoch(const ShardSet& shards, const LoaderSettings& s, std::int64_t epoch,
                         std::int64_t first_step = 0) {
    const TrainSampler sampler(shards.size(), s.batch_size, 0, 1, true, 3);
    const auto order = sampler.epoch_order(epoch);
    std::vector<std::vector<std::size_t>> batches;
    for (std::int64_t k = first_step; k < sampler.steps_per_epoch(); ++k) batches.push_back(sampler.batch(order, k));
    Loader loader(shards, s);
    loader.start(epoch, batches, first_step);
    Epoch e;
    std::int64_t expected_step = first_step;
    while (const Batch* b = loader.next()) {
      EXPECT_EQ(b->step, expected_step++);
      e.images.insert(e.images.end(), b->images.data<float>(), b->images.data<float>() + b->images.numel());
      e.targets.insert(e.targets.end(), b->targets.data<float>(), b->targets.data<float>() + b->targets.numel());
      e.weights.insert(e.weights.end(), b->weights.data<float>(), b->weights.data<float>() + b->weights.numel());
      for (int i = 0; i < b->count; ++i) e.records.push_back(b->samples[static_cast<std::size_t>(i)].record);
    }
    EXPECT_GE(loader.wait_seconds(), 0.0);
    return e;
  }

  static fs::path dir_;
  static std::string split_;
};
fs::path LoaderTest::dir_;
std::string LoaderTest::split_;

TEST_F(LoaderTest, AnEpochCoversEveryRecordWithFiniteData) {
  const ShardSet shards = ShardSet::open(split_);
  ASSERT_GT(shards.size(), 4u);
  const Epoch e = run_epoch(shards, settings(2, true), 0);
  EXPECT_EQ(std::set<std::size_t>(e.records.begin(), e.records.end()).size(), shards.size());
  for (float v : e.images) ASSERT_TRUE(std::isfinite(v));
  float peak = 0;
  for (float v : e.targets) peak = std::max(peak, v);
  EXPECT_FLOAT_EQ(peak, 1.0f) << "visible joints give Gaussian peaks of 1";
}

TEST_F(LoaderTest, ResultsDoNotDependOnTheThreadCount) {
  const ShardSet shards = ShardSet::open(split_);
  const Epoch one = run_epoch(shards, settings(1, true), 1);
  const Epoch three = run_epoch(shards, settings(3, true), 1);
  EXPECT_EQ(one.records, three.records);
  EXPECT_EQ(one.images, three.images);
  EXPECT_EQ(one.targets, three.targets);
  EXPECT_EQ(one.weights, three.weights);
  const Epoch other_epoch = run_epoch(shards, settings(1, true), 2);
  EXPECT_NE(one.images, other_epoch.images) << "a new epoch draws new augmentations";
}

TEST_F(LoaderTest, ResumingMidEpochGivesTheRemainingBatches) {
  const ShardSet shards = ShardSet::open(split_);
  const Epoch whole = run_epoch(shards, settings(2, true), 4);
  const Epoch tail = run_epoch(shards, settings(2, true), 4, 1);
  const std::size_t skipped = whole.images.size() - tail.images.size();
  ASSERT_GT(skipped, 0u);
  EXPECT_TRUE(std::equal(tail.images.begin(), tail.images.end(), whole.images.begin() + static_cast<std::ptrdiff_t>(skipped)));
}

TEST_F(LoaderTest, EvaluationKeepsTheRecordGeometry) {
  const ShardSet shards = ShardSet::open(split_);
  Loader loader(shards, settings(2, false));
  loader.start(0, {{0, 1}});
  const Batch* b = loader.next();
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->count, 2);
  for (int i = 0; i < 2; ++i) {
    const SampleInfo& info = b->samples[static_cast<std::size_t>(i)];
    const PersonRecord& r = shards.record(info.record);
    EXPECT_EQ(info.center, r.center);
    EXPECT_EQ(info.scale, r.scale);
    EXPECT_EQ(info.rotation, 0.0f);
    EXPECT_FALSE(info.flipped);
  }
  EXPECT_EQ(loader.next(), nullptr);
}

// At 128x96 most crops of the sample shrink their photo 2x or more: fast decoding reads those
// at a reduced DCT scale (a slightly blurred input), exact decoding never does.
TEST_F(LoaderTest, ExactDecodingNeverReducesTheScaleAndFastDoesWhereItCan) {
  const ShardSet shards = ShardSet::open(split_);
  std::vector<std::size_t> all(shards.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  std::vector<float> images[2];
  int reduced[2] = {0, 0};
  for (const DecodeMode mode : {DecodeMode::Exact, DecodeMode::Fast}) {
    LoaderSettings s = settings(1, false);
    s.batch_size = static_cast<int>(all.size());
    s.sample.input_width = 96;
    s.sample.input_height = 128;
    s.sample.heatmap_width = 24;
    s.sample.heatmap_height = 32;
    s.sample.decode = mode;
    Loader loader(shards, s);
    loader.start(0, {all});
    const Batch* b = loader.next();
    ASSERT_NE(b, nullptr);
    const int m = mode == DecodeMode::Fast;
    for (int i = 0; i < b->count; ++i) reduced[m] += b->samples[static_cast<std::size_t>(i)].decode_scale > 1;
    images[m].assign(b->images.data<float>(), b->images.data<float>() + b->images.numel());
  }
  EXPECT_EQ(reduced[0], 0);
  EXPECT_GT(reduced[1], 0);
  EXPECT_NE(images[0], images[1]);
}

TEST_F(LoaderTest, CorruptImagesAreSkippedCountedAndReplaced) {
  // A COCO root whose first image is cut short: pose_prepare keeps the bytes as they are.
  const fs::path root = dir_ / "broken_coco";
  fs::create_directories(root / "annotations");
  fs::copy(test::test_data_dir() + "/coco_sample/annotations", root / "annotations", fs::copy_options::recursive);
  fs::copy(test::test_data_dir() + "/coco_sample/val2017", root / "val2017", fs::copy_options::recursive);
  const fs::path victim = root / "val2017" / "000000000785.jpg";
  fs::resize_file(victim, fs::file_size(victim) / 2);
  const ShardSet shards = ShardSet::open(prepare(root, dir_ / "broken_shards"));
  std::set<std::size_t> bad;
  for (std::size_t i = 0; i < shards.size(); ++i)
    if (shards.record(i).image_id == 785) bad.insert(i);
  ASSERT_FALSE(bad.empty());

  Loader loader(shards, settings(2, true));
  std::vector<std::size_t> all(shards.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  std::vector<std::vector<std::size_t>> batches;
  for (std::size_t i = 0; i < all.size(); i += 4)
    batches.emplace_back(all.begin() + static_cast<std::ptrdiff_t>(i), all.begin() + static_cast<std::ptrdiff_t>(std::min(i + 4, all.size())));
  loader.start(0, batches);
  std::size_t samples = 0;
  while (const Batch* b = loader.next())
    for (int i = 0; i < b->count; ++i) {
      ++samples;
      EXPECT_EQ(bad.count(b->samples[static_cast<std::size_t>(i)].record), 0u) << "a corrupt record was used";
    }
  EXPECT_EQ(samples, shards.size()) << "batches stay full";
  EXPECT_EQ(loader.bad_records(), static_cast<std::int64_t>(bad.size()));
}

}  // namespace
}  // namespace pose
