// Inference on planned image jobs (infer/image_jobs.h) on one rank: every person record of
// the rank's share is cropped exactly as in evaluation (SampleBuilder without augmentation),
// batched through a BatchPredictor, and decoded to image pixels.
#pragma once

#include <string>
#include <vector>

#include "data/sample_builder.h"
#include "infer/batch_predictor.h"
#include "infer/image_jobs.h"

namespace pose {

// Poses of records [begin, end) of all jobs' people taken in order. A JPEG that fails to
// decode adds a message naming its file to `problems`, and its people are skipped.
std::vector<PosePrediction> infer_people(const std::vector<ImageJob>& jobs, std::size_t begin, std::size_t end,
                                         const SampleSettings& settings, BatchPredictor& predictor,
                                         std::vector<std::string>& problems);

// Number of person records of all jobs.
std::size_t count_people(const std::vector<ImageJob>& jobs);

}  // namespace pose
