// One person's decoded pose in image coordinates, as inference produces it and the results
// file stores it (docs/reference_behaviour.md section 6).
#pragma once

#include <array>
#include <cstdint>

namespace pose {

struct PosePrediction {
  std::int64_t image_id = 0;
  // 17 (x, y, score) triples: image pixels and the heatmap maximum of each joint.
  std::array<double, 51> keypoints{};
  std::array<double, 2> center{};  // the box the crop was taken from, in pixels
  std::array<double, 2> scale{};   // box size / 200, aspect-fixed and padded
  double area = 0;                 // (200 scale_w) (200 scale_h): the OKS-NMS scale
  double score = 0;                // the box score; after rescoring, the final score
};

}  // namespace pose
