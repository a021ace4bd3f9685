// Precision/recall curves of one category in one area range, from the matched detections of
// all images (COCOeval.accumulate, docs/reference_behaviour.md section 7).
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "eval/coco_match.h"
#include "eval/coco_params.h"

namespace pose {

struct CategoryCurves {
  // precision[t][r] at OKS threshold t and recall point r; recall[t] is the final recall.
  // All -1 when the category has no counted GT in the range: pycocotools leaves it out of
  // the means then.
  std::array<std::array<double, coco::kRecallPointCount>, coco::kThresholdCount> precision;
  std::array<double, coco::kThresholdCount> recall;
};

// Indices of `scores` from highest to lowest score, equal scores in their original order
// (numpy's stable mergesort of -score).
std::vector<std::size_t> rank_by_score(const std::vector<double>& scores);

// ranking: rank_by_score of the category's detections (images in ascending id order, each
// image's detections in its own score order, as pycocotools concatenates them).
// outcomes[t * detection_count + i]: detection i at threshold t. counted_gt: GT that count in
// this range, summed over the images.
CategoryCurves accumulate_curves(const std::vector<std::size_t>& ranking, const DetectionOutcome* outcomes,
                                 std::size_t detection_count, long counted_gt);

}  // namespace pose
