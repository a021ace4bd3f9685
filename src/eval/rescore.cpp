#include "eval/rescore.h"

namespace pose {

double keypoint_score(const PosePrediction& prediction, double joint_threshold) {
  double sum = 0;
  int count = 0;
  for (int k = 0; k < 17; ++k) {
    const double s = prediction.keypoints[3 * k + 2];
    if (s > joint_threshold) {
      sum += s;
      ++count;
    }
  }
  return count ? sum / count : 0.0;
}

double rescored(const PosePrediction& prediction, double joint_threshold) {
  return keypoint_score(prediction, joint_threshold) * prediction.score;
}

}  // namespace pose
