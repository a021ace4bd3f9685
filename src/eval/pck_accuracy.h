// The PCK accuracy the reference prints while training and validating (its accuracy() on
// heatmaps, docs/reference_behaviour.md section 4).
#pragma once

#include <vector>

#include "eval/heatmap_decode.h"

namespace pose {

struct PckAccuracy {
  std::vector<double> per_joint;  // fraction of counted samples within the threshold; -1: none counted
  double average = 0;             // mean over joints with a value, 0 when there is none
  int count = 0;                  // joints with a value (the meter weights `average` by it)
};

// Peaks of predicted and target heatmaps (find_heatmap_peaks, no refinement). A (sample,
// joint) counts when its target peak has x > 1 and y > 1 (strict; an all-zero target sits at
// (0, 0)); its distance is |pred - target| after dividing x by H/10 and y by W/10 (the
// reference's swapped normalisation) and it is a hit when the distance is < threshold.
// Both batches must have the same shape.
PckAccuracy pck_accuracy(const HeatmapBatch& predicted, const HeatmapBatch& target, int joints,
                         double threshold = 0.5);

}  // namespace pose
