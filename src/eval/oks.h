// Object Keypoint Similarity, in the two forms the pipeline needs: pycocotools' detection vs
// ground truth (the metric) and the reference's pose vs pose (OKS-NMS, docs/reference_behaviour.md section 6).
// Poses are 17 (x, y, v) triples, 51 doubles; v is COCO's visibility flag for ground truth
// and the joint score for predictions.
#pragma once

#include <array>
#include <optional>

namespace pose {

// np.spacing(1.0): keeps the OKS scale positive for zero areas.
constexpr double kOksEps = 2.220446049250313e-16;

// (2 sigma_k)^2 for the 17 COCO joints, with sigma_k = table value / 10 computed in double as
// pycocotools does (0.26 / 10 is not the double nearest 0.026).
const std::array<double, 17>& coco_oks_variances();

// pycocotools' computeOks for one pair. With labelled GT joints (v > 0):
//   e_k = (dx^2 + dy^2) / var_k / (gt_area + eps) / 2,  OKS = mean of exp(-e_k) over them.
// A GT with no labelled joint measures each detected joint's distance to the GT box enlarged
// to [x - w, x + 2w] x [y - h, y + 2h] (zero inside) and averages over all 17 joints.
double oks_to_ground_truth(const double* detection, const double* gt_keypoints,
                           const std::array<double, 4>& gt_box, double gt_area);

// The reference's OKS between a kept pose and a candidate (oks_iou):
//   e_k = (dx^2 + dy^2) / var_k / ((kept_area + candidate_area) / 2 + eps) / 2,
// the mean of exp(-e_k) over all 17 joints. With candidate_joint_threshold, only joints whose
// score in the *candidate* exceeds it count (the reference combines the two masks with
// Python's `and`, which yields the candidate's mask), and the OKS is 0 when none does.
double oks_between_poses(const double* kept, double kept_area, const double* candidate,
                         double candidate_area,
                         std::optional<double> candidate_joint_threshold = std::nullopt);

}  // namespace pose
