#include "data/shard_tables.h"

#include "core/error.h"
#include "data/checksum.h"
#include "data/shard_format.h"

namespace pose {
namespace {

constexpr std::size_t kJointValues = kCocoJoints * 3;

template <typename T, std::size_t N>
void append(std::vector<T>& column, const std::array<T, N>& values) {
  column.insert(column.end(), values.begin(), values.end());
}

// Reads dataset `name` and checks it has `rows` rows of `columns` values.
template <typename T>
std::vector<T> column(const h5::Handle& file, const std::string& name, std::size_t rows, std::size_t columns) {
  std::vector<hsize_t> dims;
  std::vector<T> values = h5::read_dataset<T>(file, name, dims);
  hsize_t per_row = 1;
  for (std::size_t d = 1; d < dims.size(); ++d) per_row *= dims[d];
  if (dims.empty() || dims[0] != rows || per_row != columns)
    throw UserError(cat("dataset '", name, "' has the wrong shape (expected ", rows, " rows of ", columns,
                        " values)"));
  return values;
}

// Reads a 1-D dataset of any length.
template <typename T>
std::vector<T> list(const h5::Handle& file, const std::string& name) {
  std::vector<hsize_t> dims;
  std::vector<T> values = h5::read_dataset<T>(file, name, dims);
  if (dims.size() != 1) throw UserError(cat("dataset '", name, "' is not one-dimensional"));
  return values;
}

std::string path(const char* group, const char* name) { return cat(group, "/", name); }

template <typename T>
std::uint64_t add_column(std::uint64_t sum, const std::vector<T>& values) {
  return checksum_update(sum, values.data(), values.size() * sizeof(T));
}

}  // namespace

void ShardTables::add_image(std::int64_t id, std::int32_t image_width, std::int32_t image_height,
                            std::uint64_t bytes) {
  offset.push_back(offset.empty() ? 0 : offset.back() + length.back());
  length.push_back(bytes);
  image_id.push_back(id);
  width.push_back(image_width);
  height.push_back(image_height);
  checksum.push_back(0);
}

void ShardTables::add_record(const PersonRecord& record) {
  POSE_CHECK(num_images() > 0, "a record needs an image");
  image_index.push_back(static_cast<std::int32_t>(num_images() - 1));
  record_image_id.push_back(record.image_id);
  annotation_id.push_back(record.annotation_id);
  append(center, record.center);
  append(scale, record.scale);
  append(box, record.box);
  area.push_back(record.area);
  score.push_back(record.score);
  for (const Joint& j : record.joints) joints.insert(joints.end(), {j.x, j.y, j.visibility});
}

PersonRecord ShardTables::record(std::size_t r) const {
  const auto image = static_cast<std::size_t>(image_index[r]);
  PersonRecord rec;
  rec.image_id = record_image_id[r];
  rec.annotation_id = annotation_id[r];
  rec.image_width = width[image];
  rec.image_height = height[image];
  rec.center = {center[2 * r], center[2 * r + 1]};
  rec.scale = {scale[2 * r], scale[2 * r + 1]};
  rec.box = {box[4 * r], box[4 * r + 1], box[4 * r + 2], box[4 * r + 3]};
  rec.area = area[r];
  rec.score = score[r];
  for (std::size_t k = 0; k < rec.joints.size(); ++k) {
    const float* joint = &joints[r * kJointValues + 3 * k];
    rec.joints[k] = {joint[0], joint[1], joint[2]};
  }
  return rec;
}

std::uint64_t tables_checksum(const ShardTables& t) {
  std::uint64_t sum = kChecksumStart;
  sum = add_column(sum, t.offset);
  sum = add_column(sum, t.length);
  sum = add_column(sum, t.image_id);
  sum = add_column(sum, t.width);
  sum = add_column(sum, t.height);
  sum = add_column(sum, t.checksum);
  sum = add_column(sum, t.image_index);
  sum = add_column(sum, t.record_image_id);
  sum = add_column(sum, t.annotation_id);
  sum = add_column(sum, t.center);
  sum = add_column(sum, t.scale);
  sum = add_column(sum, t.box);
  sum = add_column(sum, t.area);
  sum = add_column(sum, t.score);
  return add_column(sum, t.joints);
}

void write_shard_tables(const h5::Handle& file, const h5::Handle& images_group, const ShardTables& t) {
  h5::write_attribute(file, "tables_checksum", checksum_text(tables_checksum(t)));
  const hsize_t n_images = t.num_images();
  h5::write_dataset(images_group, "offset", {n_images}, t.offset.data());
  h5::write_dataset(images_group, "length", {n_images}, t.length.data());
  h5::write_dataset(images_group, "id", {n_images}, t.image_id.data());
  h5::write_dataset(images_group, "width", {n_images}, t.width.data());
  h5::write_dataset(images_group, "height", {n_images}, t.height.data());
  h5::write_dataset(images_group, "checksum", {n_images}, t.checksum.data());

  const hsize_t n = t.num_records();
  const h5::Handle group = h5::create_group(file, shard_format::kInstances);
  h5::write_dataset(group, "image_index", {n}, t.image_index.data());
  h5::write_dataset(group, "image_id", {n}, t.record_image_id.data());
  h5::write_dataset(group, "annotation_id", {n}, t.annotation_id.data());
  h5::write_dataset(group, "center", {n, 2}, t.center.data());
  h5::write_dataset(group, "scale", {n, 2}, t.scale.data());
  h5::write_dataset(group, "box", {n, 4}, t.box.data());
  h5::write_dataset(group, "area", {n}, t.area.data());
  h5::write_dataset(group, "score", {n}, t.score.data());
  h5::write_dataset(group, "joints", {n, static_cast<hsize_t>(kCocoJoints), 3}, t.joints.data());
}

void check_tables_checksum(const h5::Handle& file, const ShardTables& tables) {
  const std::string stored = h5::read_string_attribute(file, "tables_checksum");
  const std::string computed = checksum_text(tables_checksum(tables));
  if (stored != computed)
    throw UserError(cat("the tables fail their checksum (stored ", stored, ", computed ", computed,
                        "): the file is damaged; prepare the split again"));
}

ShardTables read_shard_tables(const h5::Handle& file) {
  using shard_format::kImages;
  using shard_format::kInstances;
  ShardTables t;
  t.image_id = list<std::int64_t>(file, path(kImages, "id"));
  const std::size_t images = t.image_id.size();
  t.offset = column<std::uint64_t>(file, path(kImages, "offset"), images, 1);
  t.length = column<std::uint64_t>(file, path(kImages, "length"), images, 1);
  t.width = column<std::int32_t>(file, path(kImages, "width"), images, 1);
  t.height = column<std::int32_t>(file, path(kImages, "height"), images, 1);
  t.checksum = column<std::uint64_t>(file, path(kImages, "checksum"), images, 1);

  t.image_index = list<std::int32_t>(file, path(kInstances, "image_index"));
  const std::size_t n = t.image_index.size();
  t.record_image_id = column<std::int64_t>(file, path(kInstances, "image_id"), n, 1);
  t.annotation_id = column<std::int64_t>(file, path(kInstances, "annotation_id"), n, 1);
  t.center = column<float>(file, path(kInstances, "center"), n, 2);
  t.scale = column<float>(file, path(kInstances, "scale"), n, 2);
  t.box = column<float>(file, path(kInstances, "box"), n, 4);
  t.area = column<float>(file, path(kInstances, "area"), n, 1);
  t.score = column<float>(file, path(kInstances, "score"), n, 1);
  t.joints = column<float>(file, path(kInstances, "joints"), n, kJointValues);

  // The links between the tables: a record's image row exists and has the record's image id.
  for (std::size_t r = 0; r < n; ++r) {
    if (t.image_index[r] < 0 || static_cast<std::size_t>(t.image_index[r]) >= images)
      throw UserError(cat("record ", r, " points at image row ", t.image_index[r], " of ", images));
    const std::int64_t image_id = t.image_id[static_cast<std::size_t>(t.image_index[r])];
    if (t.record_image_id[r] != image_id)
      throw UserError(cat("record ", r, " has image id ", t.record_image_id[r], " but its image row has ",
                          image_id));
  }
  return t;
}

}  // namespace pose
