// Writes a RecordSet and its images as N HDF5 shards plus index.json (docs/data_format.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "data/coco_records.h"

namespace pose {

struct ShardWriteOptions {
  std::string coco_root;   // images at <root>/<split>/%012d.jpg or <root>/images/<split>/...
  std::string split;       // "train2017", "val2017"
  std::string box_source;  // "gt" or "detector"
  std::string out_dir;     // the split's folder: index.json and the shards go here
  int shards = 1;
  int threads = 1;         // threads reading and checking image files
  bool skip_missing = false;  // count and skip images whose file is missing, instead of failing
  bool progress = true;       // a progress line on stderr
};

struct ShardWriteSummary {
  std::size_t images = 0;
  std::size_t records = 0;
  std::size_t bytes = 0;
  std::size_t skipped_images = 0;
  double seconds = 0;
};

// Images without records are left out. Images go to shards in order, in contiguous runs of
// about equal count, so the output depends only on the input, not on `threads`: files are
// byte-identical from run to run. Threads read the image files and check their JPEG headers;
// all HDF5 calls stay on the calling thread. A missing, unreadable or non-JPEG image file is a
// UserError naming the path (missing files are counted and skipped with skip_missing).
ShardWriteSummary write_shards(const RecordSet& records, const ShardWriteOptions& options);

// Where pose_prepare finds an image.
std::string image_path(const std::string& coco_root, const std::string& split, std::int64_t image_id);

}  // namespace pose
