#include "eval/coco_match.h"

#include <algorithm>

namespace pose {

namespace {

bool outside(double area, const coco::AreaRange& range) { return area < range.low || area > range.high; }

}  // namespace

int match_image(const std::vector<const CocoGtPerson*>& gts, const std::vector<double>& detection_areas,
                const std::vector<double>& oks, const coco::AreaRange& range, DetectionOutcome* outcomes,
                std::size_t threshold_stride) {
  const std::size_t gt_count = gts.size(), det_count = detection_areas.size();
  std::vector<char> ignored(gt_count);
  std::vector<std::size_t> order(gt_count);  // non-ignored GT first, file order within each group
  int counted = 0;
  for (std::size_t g = 0; g < gt_count; ++g) {
    ignored[g] = gts[g]->ignore || outside(gts[g]->area, range);
    order[g] = g;
    counted += !ignored[g];
  }
  std::stable_partition(order.begin(), order.end(), [&](std::size_t g) { return !ignored[g]; });

  std::vector<char> taken(gt_count);
  const auto& thresholds = coco::oks_thresholds();
  for (int t = 0; t < coco::kThresholdCount; ++t) {
    std::fill(taken.begin(), taken.end(), 0);
    DetectionOutcome* row = outcomes + t * threshold_stride;
    for (std::size_t d = 0; d < det_count; ++d) {
      const double* oks_row = oks.data() + d * gt_count;
      double best = std::min(thresholds[t], 1 - 1e-10);
      std::ptrdiff_t match = -1;
      for (const std::size_t g : order) {
        if (taken[g] && !gts[g]->crowd) continue;
        if (match >= 0 && !ignored[match] && ignored[g]) break;
        if (oks_row[g] < best) continue;
        best = oks_row[g];
        match = static_cast<std::ptrdiff_t>(g);
      }
      bool matched = false, ignore = false;
      if (match >= 0) {
        taken[match] = 1;
        ignore = ignored[match];
        matched = gts[match]->id != 0;
      }
      if (!matched && outside(detection_areas[d], range)) ignore = true;
      row[d] = ignore ? DetectionOutcome::kIgnored
                      : matched ? DetectionOutcome::kTruePositive : DetectionOutcome::kFalsePositive;
    }
  }
  return counted;
}

}  // namespace pose
