#include "eval/oks.h"

#include <algorithm>
#include <cmath>

#include "eval/numpy_sum.h"

namespace pose {

namespace {

constexpr int kJoints = 17;

// The common exponent; the operations run in the order and grouping of the reference's
// numpy expression so the doubles agree.
double oks_exponent(double dx, double dy, double variance, double scale) {
  return (dx * dx + dy * dy) / variance / scale / 2.0;
}

}  // namespace

const std::array<double, 17>& coco_oks_variances() {
  static const std::array<double, 17> variances = [] {
    const double table[kJoints] = {.26, .25, .25, .35, .35, .79, .79, .72, .72,
                                   .62, .62, 1.07, 1.07, .87, .87, .89, .89};
    std::array<double, kJoints> v{};
    for (int k = 0; k < kJoints; ++k) {
      const double twice_sigma = table[k] / 10.0 * 2.0;
      v[k] = twice_sigma * twice_sigma;
    }
    return v;
  }();
  return variances;
}

double oks_to_ground_truth(const double* detection, const double* gt_keypoints,
                           const std::array<double, 4>& gt_box, double gt_area) {
  const auto& variances = coco_oks_variances();
  const double scale = gt_area + kOksEps;
  double terms[kJoints];
  int count = 0;
  bool labelled = false;
  for (int k = 0; k < kJoints; ++k) labelled = labelled || gt_keypoints[3 * k + 2] > 0;
  if (labelled) {
    for (int k = 0; k < kJoints; ++k) {
      if (!(gt_keypoints[3 * k + 2] > 0)) continue;
      const double dx = detection[3 * k] - gt_keypoints[3 * k];
      const double dy = detection[3 * k + 1] - gt_keypoints[3 * k + 1];
      terms[count++] = std::exp(-oks_exponent(dx, dy, variances[k], scale));
    }
  } else {
    const double x0 = gt_box[0] - gt_box[2], x1 = gt_box[0] + gt_box[2] * 2;
    const double y0 = gt_box[1] - gt_box[3], y1 = gt_box[1] + gt_box[3] * 2;
    for (int k = 0; k < kJoints; ++k) {
      const double x = detection[3 * k], y = detection[3 * k + 1];
      const double dx = std::max(0.0, x0 - x) + std::max(0.0, x - x1);
      const double dy = std::max(0.0, y0 - y) + std::max(0.0, y - y1);
      terms[count++] = std::exp(-oks_exponent(dx, dy, variances[k], scale));
    }
  }
  return numpy_sum(terms, count) / count;
}

double oks_between_poses(const double* kept, double kept_area, const double* candidate,
                         double candidate_area, std::optional<double> candidate_joint_threshold) {
  const auto& variances = coco_oks_variances();
  const double scale = (kept_area + candidate_area) / 2.0 + kOksEps;
  double terms[kJoints];
  int count = 0;
  for (int k = 0; k < kJoints; ++k) {
    if (candidate_joint_threshold && !(candidate[3 * k + 2] > *candidate_joint_threshold)) continue;
    const double dx = candidate[3 * k] - kept[3 * k];
    const double dy = candidate[3 * k + 1] - kept[3 * k + 1];
    terms[count++] = std::exp(-oks_exponent(dx, dy, variances[k], scale));
  }
  return count == 0 ? 0.0 : numpy_sum(terms, count) / count;
}

}  // namespace pose
