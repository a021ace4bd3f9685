// From decoded poses to the entries of the results file: rescoring, then OKS-NMS per image
// (the reference's evaluate step, docs/reference_behaviour.md section 6).
#pragma once

#include <vector>

#include "eval/pose_prediction.h"

namespace pose {

// Groups the poses by image (images in order of first appearance), replaces each score by
// rescored(pose, joint_threshold) and keeps what oks_nms(image's poses, oks_threshold) keeps.
// The result lists image after image, each image's poses in the order NMS kept them.
// Reference values: joint_threshold (in_vis_thre) 0.2, oks_threshold 0.9.
std::vector<PosePrediction> select_predictions(const std::vector<PosePrediction>& poses, double joint_threshold,
                                               double oks_threshold);

}  // namespace pose
