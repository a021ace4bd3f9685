#include "eval/oks_nms.h"

#include <algorithm>
#include <numeric>

#include "eval/oks.h"

namespace pose {

std::vector<std::size_t> oks_nms(const std::vector<PosePrediction>& poses, double threshold,
                                 std::optional<double> candidate_joint_threshold) {
  std::vector<std::size_t> order(poses.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return poses[a].score > poses[b].score; });
  std::vector<std::size_t> keep;
  while (!order.empty()) {
    const PosePrediction& best = poses[order.front()];
    keep.push_back(order.front());
    std::vector<std::size_t> rest;
    for (std::size_t i = 1; i < order.size(); ++i) {
      const PosePrediction& other = poses[order[i]];
      const double oks = oks_between_poses(best.keypoints.data(), best.area, other.keypoints.data(), other.area,
                                           candidate_joint_threshold);
      if (oks <= threshold) rest.push_back(order[i]);
    }
    order.swap(rest);
  }
  return keep;
}

}  // namespace pose
