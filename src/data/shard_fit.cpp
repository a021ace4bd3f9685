#include "data/shard_fit.h"

#include <cmath>
#include <cstdint>
#include <filesystem>

#include "core/error.h"

namespace pose {

void check_input_aspect(const ShardSet& shards, const Config& config, const std::string& key) {
  const ShardProvenance& p = shards.provenance();
  const int w = config.data.image_width, h = config.data.image_height;
  // Equal aspects, compared exactly in whole numbers.
  if (static_cast<std::int64_t>(p.input_width) * h == static_cast<std::int64_t>(w) * p.input_height) return;
  throw UserError(cat(key, ": the shards in '", shards.path(), "' were prepared for ", p.input_width, "x",
                      p.input_height, " inputs (pose_prepare --input-size), but data.image_width x "
                      "data.image_height is ", w, "x", h, ", another aspect: prepare them again with "
                      "--input-size ", w, "x", h, ", or set the input size they were made for"));
}

void check_eval_boxes(const ShardSet& shards, const Config& config) {
  const ShardProvenance& p = shards.provenance();
  const std::string want = config.test.use_gt_bbox ? "gt" : "detector";
  if (p.box_source != want)
    throw UserError(cat("validation shards '", shards.path(), "' hold ", p.box_source,
                        " boxes but test.use_gt_bbox = ", config.test.use_gt_bbox ? "true" : "false",
                        ": prepare them with pose_prepare --boxes ", want, " or change test.use_gt_bbox"));
  if (want != "detector") return;
  const std::string file = std::filesystem::path(config.test.bbox_file).filename().string();
  if (!file.empty() && file != p.det_file)
    throw UserError(cat("validation shards '", shards.path(), "' hold the boxes of '", p.det_file,
                        "' but test.bbox_file is '", config.test.bbox_file, "': prepare them from that file, "
                        "or set test.bbox_file to the file they were made from"));
  // The shards store the threshold as pose_prepare parsed it; a config must state the same.
  if (std::fabs(config.test.image_thre - p.image_thre) > 1e-12)
    throw UserError(cat("validation shards '", shards.path(), "' keep detector boxes scoring at least ",
                        p.image_thre, " (pose_prepare --image-thre) but test.image_thre is ", config.test.image_thre,
                        ": prepare them with --image-thre ", config.test.image_thre,
                        ", or set test.image_thre to ", p.image_thre));
}

}  // namespace pose
