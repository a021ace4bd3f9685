// What a config says about reading data: shard folders (relative to data.root) and the
// loader's settings for training (augmented) or evaluation (not augmented).
#pragma once

#include <string>

#include "config/config.h"
#include "data/loader.h"

namespace pose {

// `path` as given when absolute, else under data.root.
std::string data_path(const Config& config, const std::string& path);

LoaderSettings loader_settings(const Config& config, bool training, bool pinned);

}  // namespace pose
