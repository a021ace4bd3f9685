// The 10 summary numbers of COCO keypoint evaluation and their two printed forms
// (COCOeval.summarize for keypoints, docs/reference_behaviour.md section 7).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "eval/coco_accumulate.h"

namespace pose {

constexpr int kCocoStatCount = 10;
// Stat order of pycocotools' stats array; all at maxDets 20.
constexpr std::array<const char*, kCocoStatCount> kCocoStatNames = {"AP",  "AP50", "AP75", "APm", "APl",
                                                                   "AR",  "AR50", "AR75", "ARm", "ARl"};

struct CocoKeypointStats {
  std::array<double, kCocoStatCount> values{};  // -1 where no category has counted GT
  double operator[](int i) const { return values[i]; }
};

// curves[k][a]: category k (ascending id), area range a (coco::kAreaRanges order). Each stat
// is the mean of the entries > -1, taken in pycocotools' array order (threshold, recall point,
// category) and summed as numpy does, or -1 when there is none.
CocoKeypointStats summarize(const std::vector<std::array<CategoryCurves, coco::kAreaRangeCount>>& curves);

// The 10 lines pycocotools prints, e.g.
// " Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets= 20 ] = 0.704".
std::string format_stats_table(const CocoKeypointStats& stats);

// {"AP": ..., "AP50": ..., ..., "ARl": ...} in stat order, shortest round-trip doubles.
std::string format_stats_json(const CocoKeypointStats& stats);

}  // namespace pose
