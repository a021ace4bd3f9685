#include "data/shard_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "data/data_error.h"
#include "data/shard_format.h"
#include "io/file.h"
#include "io/hdf5_check.h"
#include "io/hdf5_file.h"

namespace pose {
namespace {

namespace fs = std::filesystem;

template <typename T>
std::vector<T> table(const h5::Handle& file, const std::string& name, std::size_t rows,
                     std::size_t columns, const std::string& where) {
  std::vector<hsize_t> dims;
  std::vector<T> values = h5::read_dataset<T>(file, name, dims);
  hsize_t cells = 1;
  for (std::size_t d = 1; d < dims.size(); ++d) cells *= dims[d];
  if (dims.empty() || dims[0] != rows || cells != columns)
    throw UserError(cat(where, ": dataset '", name, "' has the wrong shape (", rows, " rows of ", columns, " expected)"));
  return values;
}

}  // namespace

ShardSet::ShardSet(ShardSet&& other) noexcept
    : path_(std::move(other.path_)),
      box_source_(std::move(other.box_source_)),
      shard_files_(std::move(other.shard_files_)),
      fds_(std::move(other.fds_)),
      file_sizes_(std::move(other.file_sizes_)),
      images_(std::move(other.images_)),
      records_(std::move(other.records_)),
      record_image_(std::move(other.record_image_)) {
  other.fds_.clear();
}

ShardSet::~ShardSet() {
  for (int fd : fds_) ::close(fd);
}

ShardSet ShardSet::open(const std::string& path) {
  const fs::path index_path = fs::is_directory(path) ? fs::path(path) / shard_format::kIndexFile : fs::path(path);
  ShardSet set;
  set.path_ = index_path.parent_path().string();
  nlohmann::json index;
  try {
    index = nlohmann::json::parse(read_text_file(index_path.string()));
  } catch (const nlohmann::json::exception& e) {
    throw UserError(cat("'", index_path.string(), "' is not a valid shard index: ", e.what()));
  }
  const std::string where_index = cat("'", index_path.string(), "'");
  if (index.value("format", "") != shard_format::kFormatName)
    throw UserError(cat(where_index, " is not a pose shard index (prepare the data with pose_prepare)"));
  if (index.value("version", 0) != shard_format::kVersion)
    throw UserError(cat(where_index, " has format version ", index.value("version", 0), "; this program reads version ",
                        shard_format::kVersion, " (prepare the data again)"));
  set.box_source_ = index.value("box_source", "");
  if (!index.contains("shards") || !index["shards"].is_array()) throw UserError(cat(where_index, ": no 'shards' list"));

  for (const auto& entry : index["shards"]) {
    const std::string file_path = (index_path.parent_path() / entry.value("file", "")).string();
    const std::string where = cat("shard '", file_path, "'");
    const int shard = static_cast<int>(set.shard_files_.size());
    set.shard_files_.push_back(file_path);
    std::uint64_t jpeg_base = 0, jpeg_size = 0;
    std::vector<std::uint64_t> offset, length;
    std::vector<std::int64_t> ids;
    std::vector<std::int32_t> widths, heights, image_index;
    std::vector<std::int64_t> record_ids, annotation_ids;
    std::vector<float> center, scale, box, area, score, joints;
    std::size_t n_images = 0, n = 0;
    {
      const h5::Handle file = h5::open_file(file_path);
      try {
        if (h5::read_string_attribute(file, "format") != shard_format::kFormatName ||
            h5::read_int_attribute(file, "version") != shard_format::kVersion)
          throw UserError("not a pose shard of version " + std::to_string(shard_format::kVersion));
        std::vector<hsize_t> dims;
        ids = h5::read_dataset<std::int64_t>(file, "images/id", dims);
        n_images = ids.size();
        offset = table<std::uint64_t>(file, "images/offset", n_images, 1, where);
        length = table<std::uint64_t>(file, "images/length", n_images, 1, where);
        widths = table<std::int32_t>(file, "images/width", n_images, 1, where);
        heights = table<std::int32_t>(file, "images/height", n_images, 1, where);
        image_index = h5::read_dataset<std::int32_t>(file, "instances/image_index", dims);
        n = image_index.size();
        record_ids = table<std::int64_t>(file, "instances/image_id", n, 1, where);
        annotation_ids = table<std::int64_t>(file, "instances/annotation_id", n, 1, where);
        center = table<float>(file, "instances/center", n, 2, where);
        scale = table<float>(file, "instances/scale", n, 2, where);
        box = table<float>(file, "instances/box", n, 4, where);
        area = table<float>(file, "instances/area", n, 1, where);
        score = table<float>(file, "instances/score", n, 1, where);
        joints = table<float>(file, "instances/joints", n, kCocoJoints * 3, where);
        const hid_t jpeg = H5Dopen2(file.get(), "images/jpeg", H5P_DEFAULT);
        if (jpeg < 0) throw UserError("dataset 'images/jpeg' is missing");
        const h5::Handle jpeg_set(jpeg);
        jpeg_base = H5Dget_offset(jpeg_set.get());
        jpeg_size = H5Dget_storage_size(jpeg_set.get());
        if (jpeg_base == HADDR_UNDEF && jpeg_size > 0)
          throw UserError("'images/jpeg' is not stored contiguously (it must be, for direct reads)");
      } catch (const UserError& e) {
        throw UserError(cat(where, ": ", e.what()));
      }
    }
    const int fd = ::open(file_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw UserError(cat("cannot open ", where, ": ", std::strerror(errno)));
    set.fds_.push_back(fd);
    struct stat info {};
    ::fstat(fd, &info);
    set.file_sizes_.push_back(static_cast<std::uint64_t>(info.st_size));

    const std::size_t first_image = set.images_.size();
    for (std::size_t i = 0; i < n_images; ++i) {
      // An image lying outside the dataset gets length 0: its records are reported invalid.
      const bool inside = offset[i] <= jpeg_size && length[i] <= jpeg_size - offset[i];
      set.images_.push_back({shard, jpeg_base + offset[i], inside ? length[i] : 0, ids[i]});
    }
    for (std::size_t r = 0; r < n; ++r) {
      if (image_index[r] < 0 || static_cast<std::size_t>(image_index[r]) >= n_images)
        throw UserError(cat(where, ": record ", r, " points at image ", image_index[r], " of ", n_images));
      const auto image = static_cast<std::size_t>(image_index[r]);
      PersonRecord rec;
      rec.image_id = record_ids[r];
      rec.annotation_id = annotation_ids[r];
      rec.image_width = widths[image];
      rec.image_height = heights[image];
      rec.center = {center[2 * r], center[2 * r + 1]};
      rec.scale = {scale[2 * r], scale[2 * r + 1]};
      rec.box = {box[4 * r], box[4 * r + 1], box[4 * r + 2], box[4 * r + 3]};
      rec.area = area[r];
      rec.score = score[r];
      for (std::size_t k = 0; k < kCocoJoints; ++k)
        rec.joints[k] = {joints[r * 51 + 3 * k], joints[r * 51 + 3 * k + 1], joints[r * 51 + 3 * k + 2]};
      set.records_.push_back(rec);
      set.record_image_.push_back(first_image + image);
    }
  }
  return set;
}

bool ShardSet::record_looks_valid(std::size_t i, std::string* why) const {
  const PersonRecord& r = records_[i];
  auto fail = [&](const std::string& reason) {
    if (why) *why = reason;
    return false;
  };
  const ImageLocation& image = image_of(i);
  if (image.length == 0) return fail("its image bytes lie outside the shard's image data");
  if (image.file_offset + image.length > file_sizes_[static_cast<std::size_t>(image.shard)])
    return fail("its image bytes lie beyond the end of the shard file (truncated file?)");
  if (!(std::isfinite(r.scale[0]) && std::isfinite(r.scale[1]) && r.scale[0] > 0 && r.scale[1] > 0))
    return fail("its scale is not a positive number");
  if (!std::isfinite(r.center[0]) || !std::isfinite(r.center[1])) return fail("its centre is not finite");
  for (const Joint& j : r.joints)
    if (!std::isfinite(j.x) || !std::isfinite(j.y) || !std::isfinite(j.visibility))
      return fail("a joint is not finite");
  return true;
}

void ShardSet::read_jpeg(std::size_t i, std::vector<std::uint8_t>& out) const {
  const ImageLocation& image = image_of(i);
  const auto shard = static_cast<std::size_t>(image.shard);
  if (image.length == 0 || image.file_offset + image.length > file_sizes_[shard])
    throw DataError(i, cat("record ", i, ": image bytes outside '", shard_files_[shard], "'"));
  out.resize(image.length);
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t got = ::pread(fds_[shard], out.data() + done, out.size() - done,
                                static_cast<off_t>(image.file_offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0)
      throw DataError(i, cat("record ", i, ": short read from '", shard_files_[shard], "': ",
                             got < 0 ? std::strerror(errno) : "end of file"));
    done += static_cast<std::size_t>(got);
  }
}

}  // namespace pose
