// The /images and /instances tables of one shard (docs/data_format.md), column by column, and
// their HDF5 reading and writing: the one place that knows the datasets' names and shapes.
// The image bytes themselves (/images/jpeg) are handled by the writer and the reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "data/record.h"
#include "io/hdf5_file.h"

namespace pose {

struct ShardTables {
  // /images, one row per image.
  std::vector<std::uint64_t> offset;  // into /images/jpeg
  std::vector<std::uint64_t> length;
  std::vector<std::int64_t> image_id;
  std::vector<std::int32_t> width;
  std::vector<std::int32_t> height;
  std::vector<std::uint64_t> checksum;  // of the image's JPEG bytes (data/checksum.h)

  // /instances, one row per record; multi-column tables are row-major.
  std::vector<std::int32_t> image_index;  // row in /images
  std::vector<std::int64_t> record_image_id;
  std::vector<std::int64_t> annotation_id;
  std::vector<float> center;  // 2 per record
  std::vector<float> scale;   // 2
  std::vector<float> box;     // 4
  std::vector<float> area;    // 1
  std::vector<float> score;   // 1
  std::vector<float> joints;  // kCocoJoints * 3

  std::size_t num_images() const { return image_id.size(); }
  std::size_t num_records() const { return image_index.size(); }

  // Appends an image whose bytes follow the previous image's in /images/jpeg; its checksum is
  // 0 until the writer has read the bytes and sets it.
  void add_image(std::int64_t id, std::int32_t image_width, std::int32_t image_height, std::uint64_t bytes);
  // Appends a record of the last added image.
  void add_record(const PersonRecord& record);
  // Record r as stored, with its image's size.
  PersonRecord record(std::size_t r) const;
};

// The checksum of every table column's bytes, in the order of docs/data_format.md.
std::uint64_t tables_checksum(const ShardTables& tables);

// Writes the tables (all but /images/jpeg) into `file`, whose /images group must exist, and
// their checksum as the file's attribute `tables_checksum`.
void write_shard_tables(const h5::Handle& file, const h5::Handle& images_group, const ShardTables& tables);

// Reads and checks the tables: a UserError (naming the dataset, not the file) when a dataset
// is missing, its shape disagrees with the others or a record's image row does not exist or
// has another image id. Values are checked by the reader (ShardSet::record_looks_valid).
ShardTables read_shard_tables(const h5::Handle& file);

// A UserError when `tables`, as read from `file`, differ from what was written (the file's
// attribute `tables_checksum`).
void check_tables_checksum(const h5::Handle& file, const ShardTables& tables);

}  // namespace pose
