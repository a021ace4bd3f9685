// Checks a prepared split (pose_prepare --verify): the shards open and agree with index.json,
// every image's bytes lie inside its shard and start with a JPEG header libjpeg can parse
// whose size matches the tables, every record's values are usable. Each problem names the
// shard file and the image id or record index. Never throws for bad data: a set that cannot
// even be opened is one problem.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace pose {

struct VerifyReport {
  std::size_t images = 0;
  std::size_t records = 0;
  std::vector<std::string> problems;
};

VerifyReport verify_shards(const std::string& split_path);

}  // namespace pose
