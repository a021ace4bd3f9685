// The reference's rescoring of a pose before OKS-NMS (docs/reference_behaviour.md section 6).
#pragma once

#include "eval/pose_prediction.h"

namespace pose {

// Mean of the joint scores that exceed joint_threshold (in_vis_thre, 0.2 in the reference),
// 0 when none does.
double keypoint_score(const PosePrediction& prediction, double joint_threshold);

// keypoint_score times the box score: the score the results file carries.
double rescored(const PosePrediction& prediction, double joint_threshold);

}  // namespace pose
