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

// What a split was prepared from and for, as index.json records it: a model must be trained and
// evaluated on shards made for its input aspect, and evaluated with the box source it states.
struct ShardProvenance {
  std::string split;       // the COCO split the records come from ("val2017")
  std::string name;        // the split's own name: its folder ("val2017", "val2017_detector")
  std::string box_source;  // "gt" | "detector"
  int input_width = 0;     // the input size whose aspect the boxes were widened to
  int input_height = 0;
  std::string det_file;    // detector boxes: the box file's name (no folders); "" for gt
  double image_thre = 0;   // detector boxes: the score threshold they were kept at
};

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
  const std::string& box_source() const { return provenance_.box_source; }
  const ShardProvenance& provenance() const { return provenance_; }
  const std::vector<std::string>& shard_files() const { return shard_files_; }

  // False, with the reason, for a record whose values are unusable (non-finite numbers, a
  // non-positive scale, a visibility other than 0, 1, 2, a centre or joint far outside the
  // image) or whose image bytes cannot be read (empty, outside the shard's image data or beyond
  // the end of the file).
  bool record_looks_valid(std::size_t i, std::string* why) const;

  // Record i's JPEG bytes into `out`. Thread-safe. Throws DataError when they cannot be read
  // whole or fail their checksum.
  void read_jpeg(std::size_t i, std::vector<std::uint8_t>& out) const;

  // Where an image's bytes lie.
  struct ImageLocation {
    int shard = 0;
    std::int64_t image_id = 0;
    std::uint64_t offset = 0;       // as stored: within the shard's /images/jpeg
    std::uint64_t length = 0;
    std::uint64_t file_offset = 0;  // in the shard file
    std::uint64_t checksum = 0;     // of the bytes (data/checksum.h)
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
  ShardProvenance provenance_;
  std::vector<std::string> shard_files_;
  std::vector<int> fds_;                   // one per shard
  std::vector<std::uint64_t> file_sizes_;  // one per shard
  std::vector<ImageLocation> images_;
  std::vector<PersonRecord> records_;
  std::vector<std::size_t> record_image_;  // record -> images_ index
};

}  // namespace pose
