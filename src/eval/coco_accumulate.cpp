#include "eval/coco_accumulate.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace pose {

namespace {

// np.spacing(1): keeps the precision of an empty prefix at 0 instead of 0 / 0.
constexpr double kSpacingOfOne = std::numeric_limits<double>::epsilon();

}  // namespace

std::vector<std::size_t> rank_by_score(const std::vector<double>& scores) {
  std::vector<std::size_t> ranking(scores.size());
  std::iota(ranking.begin(), ranking.end(), std::size_t{0});
  std::stable_sort(ranking.begin(), ranking.end(),
                   [&](std::size_t a, std::size_t b) { return -scores[a] < -scores[b]; });
  return ranking;
}

CategoryCurves accumulate_curves(const std::vector<std::size_t>& ranking, const DetectionOutcome* outcomes,
                                 std::size_t detection_count, long counted_gt) {
  CategoryCurves curves;
  for (auto& row : curves.precision) row.fill(-1.0);
  curves.recall.fill(-1.0);
  if (counted_gt == 0) return curves;

  const auto& recall_points = coco::recall_points();
  const double gt_count = static_cast<double>(counted_gt);
  const std::size_t n = ranking.size();
  std::vector<double> recall(n), precision(n);
  for (int t = 0; t < coco::kThresholdCount; ++t) {
    const DetectionOutcome* row = outcomes + t * detection_count;
    // Ignored detections add no hit and no false alarm but keep their place on the curve.
    double tp = 0, fp = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const DetectionOutcome o = row[ranking[i]];
      tp += o == DetectionOutcome::kTruePositive;
      fp += o == DetectionOutcome::kFalsePositive;
      recall[i] = tp / gt_count;
      precision[i] = tp / (fp + tp + kSpacingOfOne);
    }
    curves.recall[t] = n ? recall[n - 1] : 0.0;
    // The precision envelope: at each point the best precision at this or any higher recall.
    for (std::size_t i = n; i-- > 1;) precision[i - 1] = std::max(precision[i - 1], precision[i]);
    // At each recall point, the precision at the first detection reaching it; 0 past the end.
    std::size_t i = 0;
    for (int r = 0; r < coco::kRecallPointCount; ++r) {
      while (i < n && recall[i] < recall_points[r]) ++i;
      curves.precision[t][r] = i < n ? precision[i] : 0.0;
    }
  }
  return curves;
}

}  // namespace pose
