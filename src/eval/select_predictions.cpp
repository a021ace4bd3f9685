#include "eval/select_predictions.h"

#include <cstdint>
#include <unordered_map>

#include "eval/oks_nms.h"
#include "eval/rescore.h"

namespace pose {

std::vector<PosePrediction> select_predictions(const std::vector<PosePrediction>& poses, double joint_threshold,
                                               double oks_threshold) {
  std::unordered_map<std::int64_t, std::size_t> group_of;
  std::vector<std::vector<PosePrediction>> groups;
  for (const PosePrediction& p : poses) {
    const auto [it, added] = group_of.emplace(p.image_id, groups.size());
    if (added) groups.emplace_back();
    PosePrediction& copy = groups[it->second].emplace_back(p);
    copy.score = rescored(p, joint_threshold);
  }
  std::vector<PosePrediction> kept;
  kept.reserve(poses.size());
  for (const auto& image : groups)
    for (const std::size_t i : oks_nms(image, oks_threshold)) kept.push_back(image[i]);
  return kept;
}

}  // namespace pose
