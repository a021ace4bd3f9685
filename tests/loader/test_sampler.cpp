// The training sampler (coverage, disjointness across ranks, padding, rank-count independence,
// determinism) and the evaluation split.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "data/sampler.h"

namespace pose {
namespace {

// Every rank's batches of one epoch, concatenated in step order per rank.
std::vector<std::vector<std::size_t>> per_rank(std::size_t n, int batch, int world, std::uint64_t seed,
                                               std::int64_t epoch) {
  std::vector<std::vector<std::size_t>> seen(static_cast<std::size_t>(world));
  for (int r = 0; r < world; ++r) {
    const TrainSampler sampler(n, batch, r, world, true, seed);
    const auto order = sampler.epoch_order(epoch);
    for (std::int64_t s = 0; s < sampler.steps_per_epoch(); ++s)
      for (std::size_t i : sampler.batch(order, s)) seen[static_cast<std::size_t>(r)].push_back(i);
  }
  return seen;
}

TEST(TrainSampler, EveryRecordOncePerEpochAcrossTwoRanksPlusDocumentedPadding) {
  const std::size_t n = 1001;  // not a multiple of the global batch (2 x 16)
  const auto seen = per_rank(n, 16, 2, 7, 3);
  ASSERT_EQ(seen[0].size(), seen[1].size()) << "ranks must take the same number of steps";
  EXPECT_EQ(seen[0].size(), 16u * ((n + 31) / 32));
  std::map<std::size_t, int> count;
  for (const auto& rank : seen)
    for (std::size_t i : rank) ++count[i];
  EXPECT_EQ(count.size(), n) << "every record appears";
  int twice = 0;
  for (const auto& [record, c] : count) {
    EXPECT_LE(c, 2) << record;
    twice += c == 2;
  }
  EXPECT_EQ(twice, static_cast<int>(32 * ((n + 31) / 32) - n)) << "only the padding repeats";
}

TEST(TrainSampler, RanksAreDisjointWithinAStep) {
  const std::size_t n = 640;  // exact multiple: no padding, so ranks never share a record
  const auto seen = per_rank(n, 8, 2, 1, 0);
  std::set<std::size_t> a(seen[0].begin(), seen[0].end()), b(seen[1].begin(), seen[1].end());
  std::vector<std::size_t> common;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  EXPECT_TRUE(common.empty());
  EXPECT_EQ(a.size() + b.size(), n);
}

TEST(TrainSampler, AGlobalStepHoldsTheSameRecordsForAnyRankCount) {
  const std::size_t n = 500;
  const TrainSampler one(n, 32, 0, 1, true, 9);
  const auto order1 = one.epoch_order(2);
  for (std::int64_t step = 0; step < one.steps_per_epoch(); ++step) {
    std::vector<std::size_t> global = one.batch(order1, step), split;
    for (int r = 0; r < 4; ++r) {
      const TrainSampler part(n, 8, r, 4, true, 9);
      const auto b = part.batch(part.epoch_order(2), step);
      split.insert(split.end(), b.begin(), b.end());
    }
    EXPECT_EQ(split, global) << "step " << step;
  }
}

TEST(TrainSampler, ShufflesByEpochDeterministically) {
  const TrainSampler s(100, 10, 0, 1, true, 5);
  EXPECT_EQ(s.epoch_order(0), s.epoch_order(0));
  EXPECT_NE(s.epoch_order(0), s.epoch_order(1));
  EXPECT_NE(s.epoch_order(0), TrainSampler(100, 10, 0, 1, true, 6).epoch_order(0));
  const TrainSampler ordered(5, 2, 0, 1, false, 5);
  EXPECT_EQ(ordered.epoch_order(4), (std::vector<std::size_t>{0, 1, 2, 3, 4, 0}));
}

TEST(EvalRange, CoversEveryRecordExactlyOnce) {
  for (std::size_t n : {0u, 1u, 7u, 100u, 101u}) {
    std::size_t next = 0;
    for (int r = 0; r < 3; ++r) {
      const IndexRange range = eval_range(n, r, 3);
      EXPECT_EQ(range.begin, next) << n;
      EXPECT_LE(range.end - range.begin, n / 3 + 1);
      next = range.end;
    }
    EXPECT_EQ(next, n);
  }
}

}  // namespace
}  // namespace pose
