// The metric's rules on small hand-made cases whose numbers can be worked out by hand (and
// were checked against pycocotools): crowd regions, GT without labelled joints, images without
// detections, the 20-detection cap, empty area ranges, score ties across images, loadRes's
// box path, and the OKS of a single pair.
#include <gtest/gtest.h>

#include <cmath>

#include "coco_builders.h"
#include "eval/oks.h"

namespace pose {
namespace {

using test::evaluate;
using test::gt_document;
using test::gt_person;
using test::result;
using test::standing_pose;

// Precision is tp / (tp + fp + eps) in pycocotools, so a perfect AP is 1 - 2.2e-16, not 1:
// comparisons with 1 allow a few ulps (EXPECT_DOUBLE_EQ).
constexpr int kAP = 0, kAP50 = 1, kAP75 = 2, kAPm = 3, kAPl = 4, kAR = 5, kARm = 8, kARl = 9;

// A large person (area 9600 > 96^2) and a medium one (2400).
const test::Pose kLarge = standing_pose(100, 50, 80, 200);
const test::Pose kMedium = standing_pose(300, 100, 40, 100);

TEST(CocoRules, PerfectDetectionsScoreOne) {
  const auto gt = gt_document(1, {gt_person(1, 1, kLarge, 9600, {100, 50, 80, 200}),
                                  gt_person(2, 1, kMedium, 2400, {300, 100, 40, 100})});
  const auto stats = evaluate(gt, {result(1, kLarge, 0.9), result(1, kMedium, 0.8)});
  for (int i = 0; i < kCocoStatCount; ++i) EXPECT_DOUBLE_EQ(stats[i], 1.0) << kCocoStatNames[i];
}

TEST(CocoRules, CrowdRegionAbsorbsEveryDetectionInsideIt) {
  // Two confident detections inside a crowd box (OKS 1 by the box rule) are ignored, so the
  // one real detection, ranked last, still gives precision 1.
  const auto gt = gt_document(1, {gt_person(1, 1, kLarge, 9600, {100, 50, 80, 200}),
                                  gt_person(2, 1, test::unlabelled_pose(), 20000, {300, 50, 200, 150}, true)});
  const std::vector<nlohmann::json> results = {result(1, standing_pose(320, 60, 60, 120), 0.9),
                                      result(1, standing_pose(400, 60, 60, 120), 0.8), result(1, kLarge, 0.5)};
  const auto stats = evaluate(gt, results);
  EXPECT_DOUBLE_EQ(stats[kAP], 1.0);
  EXPECT_DOUBLE_EQ(stats[kAR], 1.0);
}

TEST(CocoRules, UnlabelledGtMatchesOnceByTheBoxRule) {
  // Not a crowd: the GT without labelled joints is ignored and used up by the first detection
  // in its enlarged box; the second one there is a false positive ranked above the hit:
  // precision 1/2 at recall 1.
  const auto gt = gt_document(1, {gt_person(1, 1, kLarge, 9600, {100, 50, 80, 200}),
                                  gt_person(2, 1, test::unlabelled_pose(), 20000, {300, 50, 200, 150})});
  const std::vector<nlohmann::json> results = {result(1, standing_pose(320, 60, 60, 120), 0.9),
                                      result(1, standing_pose(400, 60, 60, 120), 0.8), result(1, kLarge, 0.5)};
  const auto stats = evaluate(gt, results);
  EXPECT_DOUBLE_EQ(stats[kAP], 0.5);
  EXPECT_DOUBLE_EQ(stats[kAR], 1.0);
}

TEST(CocoRules, ImageWithoutDetectionsHalvesRecall) {
  // One of two people found: recall 1/2, precision 1 up to it; recall points 0.00..0.50.
  const auto gt = gt_document(2, {gt_person(1, 1, kLarge, 9600, {100, 50, 80, 200}),
                                  gt_person(2, 2, kLarge, 9600, {100, 50, 80, 200})});
  const auto stats = evaluate(gt, {result(1, kLarge, 0.9)});
  EXPECT_DOUBLE_EQ(stats[kAP], 51.0 / 101.0);
  EXPECT_DOUBLE_EQ(stats[kAR], 0.5);
}

TEST(CocoRules, OnlyTheTwentyBestDetectionsOfAnImageCount) {
  // 21 people, 21 perfect detections; the lowest-scored is cut: recall 20/21, and precision 1
  // at the recall points 0.00..0.95 (96 of 101).
  std::vector<nlohmann::json> people;
  std::vector<nlohmann::json> results;
  for (int i = 0; i < 21; ++i) {
    const double x = 10 + (i % 7) * 90, y = 10 + (i / 7) * 210;
    people.push_back(gt_person(i + 1, 1, standing_pose(x, y, 80, 200), 9600, {x, y, 80, 200}));
    results.push_back(result(1, standing_pose(x, y, 80, 200), 1.0 - i * 0.01));
  }
  const auto stats = evaluate(gt_document(1, people), results);
  EXPECT_DOUBLE_EQ(stats[kAR], 20.0 / 21.0);
  EXPECT_DOUBLE_EQ(stats[kAP], 96.0 / 101.0);
}

TEST(CocoRules, AreaRangeWithoutGtIsMinusOne) {
  const auto gt = gt_document(1, {gt_person(1, 1, kLarge, 9600, {100, 50, 80, 200})});
  const auto stats = evaluate(gt, {result(1, kLarge, 0.9)});
  EXPECT_EQ(stats[kAPm], -1.0);
  EXPECT_EQ(stats[kARm], -1.0);
  EXPECT_DOUBLE_EQ(stats[kAPl], 1.0);
  EXPECT_DOUBLE_EQ(stats[kARl], 1.0);
}

TEST(CocoRules, NoGtAtAllGivesMinusOneEverywhere) {
  const auto stats = evaluate(gt_document(2, {}), {result(1, kLarge, 0.9)});
  for (int i = 0; i < kCocoStatCount; ++i) EXPECT_EQ(stats[i], -1.0) << kCocoStatNames[i];
}

TEST(CocoRules, EqualScoresKeepImageOrder) {
  // A false positive and a hit with the same score: the detection of the lower image id ranks
  // first (stable sort over images in id order).
  const auto fp_first = evaluate(gt_document(2, {gt_person(1, 2, kLarge, 9600, {100, 50, 80, 200})}),
                                 {result(2, kLarge, 0.7), result(1, kMedium, 0.7)});
  EXPECT_DOUBLE_EQ(fp_first[kAP], 0.5);
  const auto hit_first = evaluate(gt_document(2, {gt_person(1, 1, kLarge, 9600, {100, 50, 80, 200})}),
                                  {result(2, kMedium, 0.7), result(1, kLarge, 0.7)});
  EXPECT_DOUBLE_EQ(hit_first[kAP], 1.0);
}

TEST(CocoRules, OksThresholdsSplitAp50FromAp75) {
  // Every joint shifted so that the OKS lies between 0.5 and 0.75: a hit at 0.50..0.55 only
  // when the OKS is above those, and AP75 is 0.
  test::Pose shifted = kLarge;
  for (int k = 0; k < 17; ++k) shifted[3 * k] += 10;  // OKS 0.64
  const auto gt = gt_document(1, {gt_person(1, 1, kLarge, 9600, {100, 50, 80, 200})});
  const CocoGroundTruth truth = read_coco_gt(gt.dump(), "gt.json");
  const double oks = oks_to_ground_truth(shifted.data(), truth.people[0].keypoints.data(), truth.people[0].box, 9600);
  ASSERT_GT(oks, 0.5);
  ASSERT_LT(oks, 0.75);
  const auto stats = evaluate(gt, {result(1, shifted, 0.9)});
  EXPECT_DOUBLE_EQ(stats[kAP50], 1.0);
  EXPECT_EQ(stats[kAP75], 0.0);
  int hits = 0;
  for (double t : coco::oks_thresholds()) hits += oks >= t;
  EXPECT_DOUBLE_EQ(stats[kAP], hits / 10.0);
}

TEST(CocoRules, GtWithIdZeroNeverCountsAsMatched) {
  // pycocotools records a match by the GT's id and reads 0 as "none".
  const auto gt = gt_document(1, {gt_person(0, 1, kLarge, 9600, {100, 50, 80, 200})});
  const auto stats = evaluate(gt, {result(1, kLarge, 0.9)});
  EXPECT_EQ(stats[kAP], 0.0);
  EXPECT_EQ(stats[kAR], 0.0);
}

TEST(CocoRules, ResultBoxesReplaceTheKeypointAreaWhenTheFirstResultHasOne) {
  // A false alarm whose keypoints span a medium area but whose box is large: without boxes it
  // counts in the medium range (precision 1/2); with boxes it is outside it and ignored.
  const auto gt = gt_document(2, {gt_person(1, 1, kMedium, 2400, {300, 100, 40, 100})});
  auto false_alarm = result(2, standing_pose(100, 100, 50, 100), 0.9);
  auto hit = result(1, kMedium, 0.5);
  EXPECT_DOUBLE_EQ(evaluate(gt, {false_alarm, hit})[kAPm], 0.5);
  false_alarm["bbox"] = {0, 0, 200, 200};
  hit["bbox"] = {300, 100, 40, 100};
  EXPECT_DOUBLE_EQ(evaluate(gt, {false_alarm, hit})[kAPm], 1.0);
}

TEST(CocoRules, ResultsOfCategoriesWithoutGtAreLeftOut) {
  const auto gt = gt_document(1, {gt_person(1, 1, kLarge, 9600, {100, 50, 80, 200})});
  auto other = result(1, kMedium, 0.95);
  other["category_id"] = 5;
  const auto stats = evaluate(gt, {other, result(1, kLarge, 0.9)});
  EXPECT_DOUBLE_EQ(stats[kAP], 1.0);
}

TEST(CocoRules, EmptyResultsScoreZero) {
  const auto gt = gt_document(1, {gt_person(1, 1, kLarge, 9600, {100, 50, 80, 200})});
  const auto stats = evaluate(gt, {});
  EXPECT_EQ(stats[kAP], 0.0);
  EXPECT_EQ(stats[kAR], 0.0);
  EXPECT_EQ(stats[kAPm], -1.0);
}

// The OKS of one pair, against the formula written out term by term.
double formula_oks(const double* dx, const double* dy, const bool* counted, double area) {
  double sum = 0;
  int n = 0;
  for (int k = 0; k < 17; ++k) {
    if (!counted[k]) continue;
    const double e = (dx[k] * dx[k] + dy[k] * dy[k]) / coco_oks_variances()[k] / (area + kOksEps) / 2;
    sum += std::exp(-e);
    ++n;
  }
  return sum / n;
}

TEST(CocoOks, VariancesAreTwiceTheSigmasSquared) {
  EXPECT_DOUBLE_EQ(coco_oks_variances()[0], 4 * 0.026 * 0.026);
  EXPECT_DOUBLE_EQ(coco_oks_variances()[11], 4 * 0.107 * 0.107);
  EXPECT_DOUBLE_EQ(coco_oks_variances()[16], 4 * 0.089 * 0.089);
}

TEST(CocoOks, OnlyLabelledGtJointsCount) {
  test::Pose gt = kLarge, det = kLarge;
  for (int k = 2; k < 17; ++k) {
    gt[3 * k + 2] = 0;      // only the nose and the left eye are labelled
    det[3 * k] += 500;      // every other detected joint is far off
  }
  det[0] += 3;
  det[4] -= 4;
  double dx[17] = {3, 0}, dy[17] = {0, -4};
  bool counted[17] = {true, true};
  EXPECT_NEAR(oks_to_ground_truth(det.data(), gt.data(), {100, 50, 80, 200}, 9600), formula_oks(dx, dy, counted, 9600),
              1e-15);
}

TEST(CocoOks, UnlabelledGtMeasuresToItsEnlargedBox) {
  // Box (100, 100, 50, 40) enlarged to [50, 200] x [60, 180]. Joint k sits k pixels left of
  // it (x = 50 - k) or, for odd k, inside; all 17 joints count.
  test::Pose det{};
  double dx[17] = {}, dy[17] = {};
  bool counted[17];
  for (int k = 0; k < 17; ++k) {
    counted[k] = true;
    det[3 * k] = k % 2 ? 120 : 50 - k;
    det[3 * k + 1] = 100;
    dx[k] = k % 2 ? 0 : k;
  }
  EXPECT_NEAR(oks_to_ground_truth(det.data(), test::unlabelled_pose().data(), {100, 100, 50, 40}, 1000),
              formula_oks(dx, dy, counted, 1000), 1e-15);
}

}  // namespace
}  // namespace pose
