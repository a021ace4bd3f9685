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
  std::string name;        // the split's own name: the shards' file names ("": split)
  std::string box_source;  // "gt" or "detector"
  std::string out_dir;     // the split's folder: index.json and the shards go here
  // Recorded in index.json (data/shard_reader.h ShardProvenance).
  int input_width = 192;   // the input whose aspect the boxes were widened to
  int input_height = 256;
  std::string det_file;    // detector boxes: their file
  double image_thre = 0;   // detector boxes: the score they were kept at
  bool force = false;      // replace a split already in out_dir (else refuse)
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
// all HDF5 calls stay on the calling thread. A missing, unreadable or non-JPEG image file, or
// one whose size is not the annotation's, is a UserError naming the path (missing files are
// counted and skipped with skip_missing); so is a record that the reader would reject
// (data/record_checks.h). An out_dir that already holds a split is refused unless `force`;
// with it, shard files the new index does not list are removed at the end. Every file is
// written under a temporary name and renamed when whole.
ShardWriteSummary write_shards(const RecordSet& records, const ShardWriteOptions& options);

// Where pose_prepare finds an image.
std::string image_path(const std::string& coco_root, const std::string& split, std::int64_t image_id);

}  // namespace pose
