#include "data/targets.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "core/error.h"

namespace pose {

void make_targets(const InputJoints& joints, int num_joints, float sigma, int heatmap_w,
                  int heatmap_h, int input_w, int input_h, float* heatmaps, float* weights,
                  const float* joint_weights, TargetCenter center_rule) {
  POSE_CHECK(num_joints > 0 && num_joints <= kCocoJoints, "num_joints = ", num_joints);
  POSE_CHECK(sigma > 0 && heatmap_w > 0 && heatmap_h > 0 && input_w > 0 && input_h > 0,
             "bad target geometry");
  std::fill(heatmaps, heatmaps + static_cast<std::ptrdiff_t>(heatmap_w) * heatmap_h * num_joints,
            0.0f);
  const double stride_x = static_cast<double>(input_w) / heatmap_w;
  const double stride_y = static_cast<double>(input_h) / heatmap_h;
  // The reference's window: size = 2 radius + 1 cells from ul = int(mu - radius), Gaussian
  // centred at cell (size // 2); for integer 3 sigma (sigma = 2) that center is mu itself.
  const double radius = 3.0 * sigma;
  const double center = std::floor((2 * radius + 1) / 2);
  const float two_sigma_sq = 2.0f * sigma * sigma;

  for (int k = 0; k < num_joints; ++k) {
    weights[k] = joints.visibility[k];
    const Point2 p = joints.position[k];
    // Python int(): truncation toward zero. Kept in double so huge values cannot overflow.
    const double mu_x = std::trunc(p.x / stride_x + 0.5);
    const double mu_y = std::trunc(p.y / stride_y + 0.5);
    const double ul_x = std::trunc(mu_x - radius), ul_y = std::trunc(mu_y - radius);
    const double br_x = std::trunc(mu_x + radius + 1), br_y = std::trunc(mu_y + radius + 1);
    const bool inside = std::isfinite(mu_x) && std::isfinite(mu_y) && ul_x < heatmap_w &&
                        ul_y < heatmap_h && br_x >= 0 && br_y >= 0;
    if (!inside) {
      weights[k] = 0;
      continue;
    }
    if (joint_weights != nullptr) weights[k] *= joint_weights[k];
    if (!(joints.visibility[k] > 0.5f)) continue;

    const int x0 = static_cast<int>(ul_x), y0 = static_cast<int>(ul_y);
    const int x_begin = std::max(0, x0), x_end = std::min(static_cast<int>(br_x), heatmap_w);
    const int y_begin = std::max(0, y0), y_end = std::min(static_cast<int>(br_y), heatmap_h);
    // The Gaussian's centre in cells: the reference's rounded one, or the exact position.
    const bool exact = center_rule == TargetCenter::Exact;
    const double cx = exact ? p.x / stride_x : x0 + center, cy = exact ? p.y / stride_y : y0 + center;
    for (int y = y_begin; y < y_end; ++y) {
      const float dy = static_cast<float>(y - cy);
      for (int x = x_begin; x < x_end; ++x) {
        const float dx = static_cast<float>(x - cx);
        heatmaps[(static_cast<std::ptrdiff_t>(y) * heatmap_w + x) * num_joints + k] =
            std::exp(-(dx * dx + dy * dy) / two_sigma_sq);
      }
    }
  }
}

int rounded_target_offset(float sigma) {
  const double radius = 3.0 * sigma;
  return static_cast<int>(std::floor((2 * radius + 1) / 2) - std::ceil(radius));
}

}  // namespace pose
