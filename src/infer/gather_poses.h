// Collecting every rank's poses on rank 0 (MPI_Gatherv), for evaluation and pose_infer.
#pragma once

#include <vector>

#include "dist/runtime.h"
#include "eval/pose_prediction.h"

namespace pose {

// Collective. Rank 0 receives every rank's poses, in rank order (which is record order);
// the other ranks get an empty list.
std::vector<PosePrediction> gather_poses(Runtime& runtime, const std::vector<PosePrediction>& local);

}  // namespace pose
