// Greedy non-maximum suppression of one image's poses by OKS (the reference's oks_nms,
// docs/reference_behaviour.md section 6).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "eval/pose_prediction.h"

namespace pose {

// Visits the poses from the highest score down (equal scores in input order; the reference's
// unstable argsort leaves that order open); keeps the first remaining one and drops every
// remaining pose whose oks_between_poses with it is > threshold (exactly equal survives);
// repeats on what is left. Returns the kept indices in the order they were kept.
// candidate_joint_threshold: the reference's optional in_vis_thre (see oks_between_poses);
// the COCO pipeline does not pass it, so every joint counts.
std::vector<std::size_t> oks_nms(const std::vector<PosePrediction>& poses, double threshold,
                                 std::optional<double> candidate_joint_threshold = std::nullopt);

}  // namespace pose
