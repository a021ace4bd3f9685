// ShardSet: a prepared split opened for reading (docs/data_format.md). Tables are loaded into
// memory at open; image bytes are read on demand with pread from file descriptors kept open,
// so any number of loader threads read at once without touching the (not thread-safe) HDF5
// library. Whole-set problems (a missing or unreadable file, another format or version,
// tables that disagree with each other or with index.json) are UserErrors at open; problems
// of single records (NaN values, image bytes outside the file) are reported per record.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/record.h"

namespace pose {

class ShardSet {
 public:
  // `path`: the split folder holding index.json, or index.json itself. Not thread-safe (HDF5).
  static ShardSet open(const std::string& path);
  ShardSet(ShardSet&& other) noexcept;
  ShardSet& operator=(ShardSet&& other) noexcept;
  ShardSet(const ShardSet&) = delete;
  ShardSet& operator=(const ShardSet&) = delete;
  ~ShardSet();

  // Records in global order: shard 0's, then shard 1's, ...
  std::size_t size() const { return records_.size(); }
  const PersonRecord& record(std::size_t i) const { return records_[i]; }
  const std::vector<PersonRecord>& records() const { return records_; }
  const std::string& path() const { return path_; }  // the split folder
  const std::string& box_source() const { return box_source_; }
  const std::vector<std::string>& shard_files() const { return shard_files_; }

  // False, with the reason, for a record whose values are unusable (non-finite numbers, a
  // non-positive scale) or whose image bytes cannot be read (empty, outside the shard's image
  // data or beyond the end of the file).
  bool record_looks_valid(std::size_t i, std::string* why) const;

  // Record i's JPEG bytes into `out`. Thread-safe. Throws DataError when they cannot be read
  // whole.
  void read_jpeg(std::size_t i, std::vector<std::uint8_t>& out) const;

  // Where an image's bytes lie.
  struct ImageLocation {
    int shard = 0;
    std::int64_t image_id = 0;
    std::uint64_t offset = 0;       // as stored: within the shard's /images/jpeg
    std::uint64_t length = 0;
    std::uint64_t file_offset = 0;  // in the shard file
    bool inside_data = false;       // offset + length within /images/jpeg
  };
  std::size_t num_images() const { return images_.size(); }
  const std::vector<ImageLocation>& images() const { return images_; }
  std::size_t image_index(std::size_t record) const { return record_image_[record]; }
  const ImageLocation& image_of(std::size_t record) const { return images_[record_image_[record]]; }
  // Empty when image `i` can be read, else why not.
  std::string image_problem(std::size_t image) const;

 private:
  ShardSet() = default;
  void add_shard(const std::string& file_path, std::size_t expected_images, std::size_t expected_records);
  void close_files();

  std::string path_;
  std::string box_source_;
  std::vector<std::string> shard_files_;
  std::vector<int> fds_;                   // one per shard
  std::vector<std::uint64_t> file_sizes_;  // one per shard
  std::vector<ImageLocation> images_;
  std::vector<PersonRecord> records_;
  std::vector<std::size_t> record_image_;  // record -> images_ index
};

}  // namespace pose
