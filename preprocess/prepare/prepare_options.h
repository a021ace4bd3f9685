// pose_prepare's command line. Every option is checked before any work starts; a bad one is a
// UserError that says what is wrong.
#pragma once

#include <string>

#include "data/coco_records.h"
#include "data/shard_writer.h"

namespace pose {

struct PrepareOptions {
  bool help = false;
  std::string verify;  // --verify: the split folder to check; nothing else is done
  ShardWriteOptions write;
  std::string out;  // the split goes to <out>/<split>/
  std::string det_file;
  double image_thre = 0;
  RecordOptions records;

  // <coco_root>/annotations/person_keypoints_<split>.json
  std::string annotation_file() const;
};

extern const char* const kPrepareUsage;

PrepareOptions parse_prepare_options(int argc, char** argv);

}  // namespace pose
