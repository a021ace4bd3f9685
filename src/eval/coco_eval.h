// The COCO keypoint metric: pycocotools' COCOeval(iouType='keypoints') evaluate, accumulate
// and summarize in one call (docs/reference_behaviour.md section 7), with the same numbers.
#pragma once

#include <vector>

#include "eval/coco_gt.h"
#include "eval/coco_results.h"
#include "eval/coco_summary.h"

namespace pose {

// Every image and every category of `gt` is evaluated (COCO person keypoints: person only);
// detections of other categories are left out. A category with GT but no detection scores
// 0; a category without counted GT in a range is left out of that range's means.
// The OKS of each detection/GT pair is computed once and shared by the three area ranges and
// the ten thresholds.
CocoKeypointStats evaluate_coco_keypoints(const CocoGroundTruth& gt, const std::vector<CocoDetection>& detections);

}  // namespace pose
