// ShardSet: a prepared split opened for reading (docs/data_format.md). Tables are loaded into
// memory at open; image bytes are read on demand with pread from file descriptors kept open,
// so any number of loader threads read at once without touching the (not thread-safe) HDF5
// library. Whole-set problems (a missing file, a wrong format or version, inconsistent
// tables) are UserErrors at open; problems of single records are reported per record.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/record.h"

namespace pose {

class ShardSet {
 public:
  // `path`: the split folder holding index.json, or index.json itself.
  static ShardSet open(const std::string& path);
  ShardSet(ShardSet&& other) noexcept;
  ShardSet& operator=(ShardSet&&) = delete;
  ShardSet(const ShardSet&) = delete;
  ~ShardSet();

  std::size_t size() const { return records_.size(); }
  std::size_t num_images() const { return images_.size(); }
  const PersonRecord& record(std::size_t i) const { return records_[i]; }
  const std::vector<PersonRecord>& records() const { return records_; }
  const std::string& path() const { return path_; }
  const std::string& box_source() const { return box_source_; }

  // False, with the reason, for a record whose tables hold unusable values (non-finite or
  // non-positive scale, non-finite joints, an empty or out-of-file image).
  bool record_looks_valid(std::size_t i, std::string* why) const;

  // Record i's JPEG bytes. Thread-safe. Throws DataError when they cannot be read whole.
  void read_jpeg(std::size_t i, std::vector<std::uint8_t>& out) const;

  // Where record i's image lies: shard file, byte position in that file, length, image id.
  struct ImageLocation {
    int shard = 0;
    std::uint64_t file_offset = 0;
    std::uint64_t length = 0;
    std::int64_t image_id = 0;
  };
  const ImageLocation& image_of(std::size_t i) const { return images_[record_image_[i]]; }
  const std::vector<std::string>& shard_files() const { return shard_files_; }

 private:
  ShardSet() = default;

  std::string path_;
  std::string box_source_;
  std::vector<std::string> shard_files_;
  std::vector<int> fds_;                  // one per shard
  std::vector<std::uint64_t> file_sizes_;  // one per shard
  std::vector<ImageLocation> images_;
  std::vector<PersonRecord> records_;
  std::vector<std::size_t> record_image_;  // record -> images_ index
};

}  // namespace pose
