// The results file of a COCO keypoint evaluation, in the reference's format
// (keypoints_val2017_results.json, docs/reference_behaviour.md section 6): a JSON list of
// {"image_id", "category_id": 1, "keypoints": [x1, y1, s1, ..., x17, y17, s17], "score",
//  "center": [2], "scale": [2]}; pycocotools reads it and ignores center and scale.
#pragma once

#include <string>
#include <vector>

#include "eval/pose_prediction.h"

namespace pose {

// One result per line, in the order given; doubles in shortest round-trip form. A NaN or
// infinite value (JSON cannot hold it) is an Error naming the prediction.
std::string coco_results_json(const std::vector<PosePrediction>& predictions);
void write_coco_results(const std::string& path, const std::vector<PosePrediction>& predictions);

}  // namespace pose
