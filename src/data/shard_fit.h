// Whether prepared shards fit the run that reads them (their provenance, data/shard_reader.h):
// boxes widened to another input aspect give a model crops it was never trained on (AP near 0
// without a word), and evaluation must use the box source, detector file and score threshold
// the config states. A mismatch is a UserError naming both values and how to fix it.
#pragma once

#include <string>

#include "config/config.h"
#include "data/shard_reader.h"

namespace pose {

// The shards of config key `key` (data.train_shards, data.val_shards) against data.image_width
// x data.image_height: the aspects must agree (the size itself may differ).
void check_input_aspect(const ShardSet& shards, const Config& config, const std::string& key);

// Validation shards against test.use_gt_bbox, and for detector boxes test.bbox_file (its file
// name; empty accepts the shards' file) and test.image_thre.
void check_eval_boxes(const ShardSet& shards, const Config& config);

}  // namespace pose
