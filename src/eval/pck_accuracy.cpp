#include "eval/pck_accuracy.h"

#include <cmath>

#include "core/error.h"

namespace pose {

PckAccuracy pck_accuracy(const HeatmapBatch& predicted, const HeatmapBatch& target, int joints, double threshold) {
  POSE_CHECK(predicted.batch == target.batch && predicted.height == target.height &&
                 predicted.width == target.width && predicted.channels == target.channels,
             "predicted and target heatmaps differ in shape");
  const std::size_t peaks_count = static_cast<std::size_t>(predicted.batch) * joints;
  std::vector<HeatmapPeak> pred(peaks_count), gt(peaks_count);
  find_heatmap_peaks(predicted, joints, pred.data());
  find_heatmap_peaks(target, joints, gt.data());

  const double norm_x = predicted.height / 10.0, norm_y = predicted.width / 10.0;
  PckAccuracy result;
  double sum = 0;
  for (int j = 0; j < joints; ++j) {
    int counted = 0, hits = 0;
    for (int n = 0; n < predicted.batch; ++n) {
      const std::size_t i = static_cast<std::size_t>(n) * joints + j;
      if (!(gt[i].x > 1 && gt[i].y > 1)) continue;
      const double dx = pred[i].x / norm_x - gt[i].x / norm_x;
      const double dy = pred[i].y / norm_y - gt[i].y / norm_y;
      ++counted;
      hits += std::sqrt(dx * dx + dy * dy) < threshold;
    }
    const double accuracy = counted ? static_cast<double>(hits) / counted : -1.0;
    result.per_joint.push_back(accuracy);
    if (accuracy >= 0) {
      sum += accuracy;
      ++result.count;
    }
  }
  result.average = result.count ? sum / result.count : 0.0;
  return result;
}

}  // namespace pose
