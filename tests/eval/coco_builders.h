// Small COCO ground-truth and result documents built in code, for the metric's rule tests.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "eval/coco_eval.h"

namespace pose::test {

using Pose = std::array<double, 51>;

// A standing person filling the box (x, y, w, h): 17 joints at fixed fractions of the box,
// all labelled (v = 2).
inline Pose standing_pose(double x, double y, double w, double h) {
  constexpr double kFractions[17][2] = {{.50, .08}, {.55, .06}, {.45, .06}, {.60, .08}, {.40, .08}, {.70, .22},
                                        {.30, .22}, {.80, .38}, {.20, .38}, {.85, .52}, {.15, .52}, {.62, .55},
                                        {.38, .55}, {.62, .75}, {.38, .75}, {.62, .95}, {.38, .95}};
  Pose p{};
  for (int k = 0; k < 17; ++k) {
    p[3 * k] = x + kFractions[k][0] * w;
    p[3 * k + 1] = y + kFractions[k][1] * h;
    p[3 * k + 2] = 2;
  }
  return p;
}

inline Pose unlabelled_pose() { return Pose{}; }

// A GT annotation; num_keypoints counts the joints with v > 0.
inline nlohmann::json gt_person(std::int64_t id, std::int64_t image_id, const Pose& keypoints, double area,
                                std::array<double, 4> box, bool crowd = false) {
  int labelled = 0;
  for (int k = 0; k < 17; ++k) labelled += keypoints[3 * k + 2] > 0;
  return {{"id", id},     {"image_id", image_id}, {"category_id", 1},        {"iscrowd", crowd ? 1 : 0},
          {"area", area}, {"bbox", box},          {"num_keypoints", labelled}, {"keypoints", keypoints}};
}

// Images 1..images, the annotations given, the person category.
inline nlohmann::json gt_document(int images, const std::vector<nlohmann::json>& annotations) {
  nlohmann::json list = nlohmann::json::array();
  for (int i = 1; i <= images; ++i) list.push_back({{"id", i}, {"width", 640}, {"height", 480}});
  return {{"images", list}, {"annotations", annotations}, {"categories", {{{"id", 1}, {"name", "person"}}}}};
}

inline nlohmann::json result(std::int64_t image_id, const Pose& keypoints, double score) {
  return {{"image_id", image_id}, {"category_id", 1}, {"keypoints", keypoints}, {"score", score}};
}

// Both documents go through the file readers (as JSON text) before the metric.
inline CocoKeypointStats evaluate(const nlohmann::json& gt_doc, const std::vector<nlohmann::json>& results) {
  const CocoGroundTruth gt = read_coco_gt(gt_doc.dump(), "gt.json");
  return evaluate_coco_keypoints(gt, read_coco_results(nlohmann::json(results).dump(), "results.json", gt));
}

}  // namespace pose::test
