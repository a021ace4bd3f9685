// Checks a prepared split: index counts against the shards, every image's bytes inside its
// shard and a readable JPEG header, every record's values usable. Problems are reported by
// shard, record and image id.
#pragma once

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
