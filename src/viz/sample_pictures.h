// Pictures of augmented training samples exactly as the loader hands them to the network
// (MSRA's debug images, mmpose's dataset browser): the input turned back into RGB, the target
// heatmaps glowing over it and the joints they encode drawn as a skeleton.
#pragma once

#include <cstddef>
#include <string>

#include "config/config.h"

namespace pose {

// The first `count` training records of config's data.train_shards (epoch 0's augmentation
// for each), written as <out_dir>/sample_<record>.jpg, enlarged to at least 256 pixels high.
// Returns how many. UserError naming the shards when they cannot be opened.
std::size_t write_sample_pictures(const Config& config, std::size_t count, const std::string& out_dir);

}  // namespace pose
