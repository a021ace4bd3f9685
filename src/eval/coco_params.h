// The fixed settings of pycocotools' keypoint evaluation, COCOeval(iouType='keypoints')
// (docs/reference_behaviour.md section 7).
#pragma once

#include <array>
#include <cstdint>

namespace pose::coco {

constexpr int kJoints = 17;
constexpr int kKeypointValues = 3 * kJoints;  // x, y, v per joint
constexpr int kMaxDetections = 20;            // per image and category
constexpr int kThresholdCount = 10;           // OKS thresholds 0.50:0.05:0.95
constexpr int kRecallPointCount = 101;        // recall 0:0.01:1

struct AreaRange {
  const char* label;
  double low, high;  // inclusive at both ends
};
constexpr int kAreaRangeCount = 3;
constexpr std::array<AreaRange, kAreaRangeCount> kAreaRanges = {
    {{"all", 0.0, 1e10}, {"medium", 32.0 * 32.0, 96.0 * 96.0}, {"large", 96.0 * 96.0, 1e10}}};

// np.linspace(0.5, 0.95, 10) and np.linspace(0, 1, 101), value for value: the summary picks
// AP50 and AP75 by comparing these for equality with 0.5 and 0.75, so they must be the same
// doubles pycocotools uses.
const std::array<double, kThresholdCount>& oks_thresholds();
const std::array<double, kRecallPointCount>& recall_points();

}  // namespace pose::coco
