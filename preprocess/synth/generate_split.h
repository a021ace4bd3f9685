// Draws the images of one split on a pool of threads and writes their JPEGs. Image i is drawn
// from its own random stream (seed, split, i), so the output does not depend on the thread
// count, and the val images do not change with the number of train images.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "dataset_writer.h"
#include "options.h"

namespace pose::synth {

struct SplitPlan {
  std::string name;        // "train2017"
  std::int64_t first_id;   // image ids first_id, first_id + 1, ...
  int count;
  std::uint64_t stream;    // tells the splits' random streams apart
};

// Returns the records in image order.
std::vector<ImageRecord> generate_split(const SplitPlan& plan, const SynthOptions& options,
                                        const std::filesystem::path& folder);

}  // namespace pose::synth
