// The training accuracy on a hand-worked batch: 2 samples, 3 joints in 4 channels, 30 x 10
// heatmaps, so x is divided by H/10 = 3 and y by W/10 = 1 (the reference's swap).
#include <gtest/gtest.h>

#include "eval/pck_accuracy.h"
#include "heatmap_builder.h"

namespace pose {
namespace {

using test::Heatmaps;

TEST(PckAccuracy, HandWorkedBatch) {
  Heatmaps pred(2, 30, 10, 4), target(2, 30, 10, 4);
  // Joint 0. Sample 0: one cell off in x, 1/3 after the swap: a hit. Sample 1: one cell off
  // in y, 1 after the swap: a miss. Accuracy 1/2.
  target.set(0, 5, 5, 0, 1);
  pred.set(0, 5, 6, 0, 1);
  target.set(1, 10, 4, 0, 1);
  pred.set(1, 11, 4, 0, 1);
  // Joint 1: no target in sample 0 (all zero), x = 1 in sample 1 (not > 1): no value.
  pred.set(0, 7, 7, 1, 1);
  target.set(1, 20, 1, 1, 1);
  pred.set(1, 20, 1, 1, 1);
  // Joint 2: exact in sample 0; one cell off in x at (2, 2) in sample 1: both hits.
  target.set(0, 25, 8, 2, 1);
  pred.set(0, 25, 8, 2, 1);
  target.set(1, 2, 2, 2, 1);
  pred.set(1, 2, 3, 2, 1);
  // The padded channel is ignored even though it would count.
  target.set(0, 9, 9, 3, 1);

  const PckAccuracy acc = pck_accuracy(pred.view(), target.view(), 3);
  ASSERT_EQ(acc.per_joint.size(), 3u);
  EXPECT_EQ(acc.per_joint[0], 0.5);
  EXPECT_EQ(acc.per_joint[1], -1.0);
  EXPECT_EQ(acc.per_joint[2], 1.0);
  EXPECT_EQ(acc.count, 2);
  EXPECT_EQ(acc.average, 0.75);
}

TEST(PckAccuracy, DistanceMustBeBelowTheThreshold) {
  // A 20-high map: one cell off in x is exactly 1 / 2 = 0.5, which is not < 0.5.
  Heatmaps pred(1, 20, 10, 1), target(1, 20, 10, 1);
  target.set(0, 5, 5, 0, 1);
  pred.set(0, 5, 6, 0, 1);
  EXPECT_EQ(pck_accuracy(pred.view(), target.view(), 1, 0.5).average, 0.0);
  EXPECT_EQ(pck_accuracy(pred.view(), target.view(), 1, 0.51).average, 1.0);
}

TEST(PckAccuracy, NothingCountedGivesZero) {
  Heatmaps pred(1, 30, 10, 2), target(1, 30, 10, 2);
  const PckAccuracy acc = pck_accuracy(pred.view(), target.view(), 2);
  EXPECT_EQ(acc.count, 0);
  EXPECT_EQ(acc.average, 0.0);
}

}  // namespace
}  // namespace pose
