#include "data/shard_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <utility>

#include "core/error.h"
#include "data/checksum.h"
#include "data/data_error.h"
#include "data/json_fields.h"
#include "data/record_checks.h"
#include "data/shard_format.h"
#include "data/shard_tables.h"
#include "io/hdf5_check.h"
#include "io/hdf5_file.h"

namespace pose {
namespace {

namespace fs = std::filesystem;
namespace jf = json_fields;

struct ByteData {
  std::uint64_t file_offset = 0;
  std::uint64_t size = 0;
};

// Where /images/jpeg lies in the file. It must be contiguous, so that it has one position.
ByteData locate_jpeg_data(const h5::Handle& file) {
  const std::string name = cat(shard_format::kImages, "/jpeg");
  if (POSE_H5_CHECK(H5Lexists(file.get(), name.c_str(), H5P_DEFAULT)) == 0)
    throw UserError(cat("dataset '", name, "' is missing"));
  const h5::Handle data(static_cast<hid_t>(POSE_H5_CHECK(H5Dopen2(file.get(), name.c_str(), H5P_DEFAULT))));
  const h5::Handle creation(static_cast<hid_t>(POSE_H5_CHECK(H5Dget_create_plist(data.get()))));
  if (POSE_H5_CHECK(H5Pget_layout(creation.get())) != H5D_CONTIGUOUS)
    throw UserError(cat("dataset '", name, "' is not stored contiguously (needed for direct reads)"));
  // These two report failure as HADDR_UNDEF and 0, not as negative numbers; an empty
  // dataset has no storage and no address either.
  ByteData bytes;
  bytes.size = H5Dget_storage_size(data.get());
  const haddr_t address = H5Dget_offset(data.get());
  if (bytes.size > 0 && address == HADDR_UNDEF) throw UserError(cat("dataset '", name, "' has no file position"));
  bytes.file_offset = bytes.size > 0 ? address : 0;
  return bytes;
}

ShardProvenance read_provenance(const nlohmann::json& index, const std::string& where) {
  ShardProvenance p;
  p.split = jf::text(index, "split", where);
  p.name = jf::text(index, "name", where);
  p.box_source = jf::text(index, "box_source", where);
  p.input_width = static_cast<int>(jf::integer(index, "input_width", where));
  p.input_height = static_cast<int>(jf::integer(index, "input_height", where));
  if (p.input_width <= 0 || p.input_height <= 0)
    throw UserError(cat(where, ": input_width and input_height must be positive"));
  if (p.box_source == "detector") {
    p.det_file = jf::text(index, "det_file", where);
    p.image_thre = jf::number(index, "image_thre", where);
  } else if (p.box_source != "gt") {
    throw UserError(cat(where, ": box_source is '", p.box_source, "', expected gt or detector"));
  }
  return p;
}

}  // namespace

ShardSet::ShardSet(ShardSet&& other) noexcept { *this = std::move(other); }

ShardSet& ShardSet::operator=(ShardSet&& other) noexcept {
  if (this != &other) {
    close_files();
    path_ = std::move(other.path_);
    provenance_ = std::move(other.provenance_);
    shard_files_ = std::move(other.shard_files_);
    fds_ = std::exchange(other.fds_, {});
    file_sizes_ = std::move(other.file_sizes_);
    images_ = std::move(other.images_);
    records_ = std::move(other.records_);
    record_image_ = std::move(other.record_image_);
  }
  return *this;
}

ShardSet::~ShardSet() { close_files(); }

void ShardSet::close_files() {
  for (int fd : fds_) ::close(fd);
  fds_.clear();
}

ShardSet ShardSet::open(const std::string& path) {
  const fs::path index_path = fs::is_directory(path) ? fs::path(path) / shard_format::kIndexFile : fs::path(path);
  const std::string where = cat("'", index_path.string(), "'");
  const nlohmann::json index = jf::parse_file(index_path.string());
  if (!index.is_object() || index.value("format", nlohmann::json()) != shard_format::kFormatName)
    throw UserError(cat(where, " is not a pose shard index (prepare the data with pose_prepare)"));
  const std::int64_t version = jf::integer(index, "version", where);
  if (version > shard_format::kVersion)
    throw UserError(cat(where, " has format version ", version, ", newer than this program's version ",
                        shard_format::kVersion, ": update the program, or prepare the data with this one"));
  if (version != shard_format::kVersion)
    throw UserError(cat(where, " has format version ", version, "; this program reads version ",
                        shard_format::kVersion, ": prepare the data again"));

  ShardSet set;
  set.path_ = index_path.parent_path().string();
  set.provenance_ = read_provenance(index, where);
  const nlohmann::json& shards = jf::list(index, "shards", where);
  std::set<std::string> listed;
  for (std::size_t s = 0; s < shards.size(); ++s) {
    const std::string entry = cat(where, " shards[", s, "]");
    const std::string file = jf::text(shards[s], "file", entry);
    if (!listed.insert(fs::path(file).lexically_normal().string()).second)
      throw UserError(cat(entry, ": '", file, "' is listed twice; each shard may appear once"));
    const std::int64_t images = jf::integer(shards[s], "images", entry);
    const std::int64_t records = jf::integer(shards[s], "records", entry);
    if (images < 0 || records < 0) throw UserError(cat(entry, ": negative counts"));
    set.add_shard((index_path.parent_path() / file).string(), static_cast<std::size_t>(images),
                  static_cast<std::size_t>(records));
  }
  const std::int64_t num_images = jf::integer(index, "num_images", where);
  const std::int64_t num_records = jf::integer(index, "num_records", where);
  if (num_images != static_cast<std::int64_t>(set.num_images()) ||
      num_records != static_cast<std::int64_t>(set.size()))
    throw UserError(cat(where, " counts ", num_images, " images and ", num_records, " records; the shards hold ",
                        set.num_images(), " and ", set.size()));
  return set;
}

void ShardSet::add_shard(const std::string& file_path, std::size_t expected_images, std::size_t expected_records) {
  const std::string where = cat("shard '", file_path, "'");
  const int shard = static_cast<int>(shard_files_.size());
  ShardTables tables;
  ByteData jpeg;
  try {
    const h5::Handle file = h5::open_file(file_path);
    if (h5::read_string_attribute(file, "format") != shard_format::kFormatName)
      throw UserError("not a pose shard (attribute 'format')");
    if (h5::read_int_attribute(file, "version") != shard_format::kVersion)
      throw UserError(cat("format version ", h5::read_int_attribute(file, "version"), ", expected ",
                          shard_format::kVersion));
    if (h5::read_int_attribute(file, "num_joints") != kCocoJoints)
      throw UserError(cat(h5::read_int_attribute(file, "num_joints"), " joints per record, expected ", kCocoJoints));
    tables = read_shard_tables(file);
    check_tables_checksum(file, tables);
    jpeg = locate_jpeg_data(file);
  } catch (const Error& e) {
    // HDF5 failures inside a file are problems of that file, which the user can replace.
    throw UserError(cat(where, ": ", e.what()));
  }
  if (tables.num_images() != expected_images || tables.num_records() != expected_records)
    throw UserError(cat(where, " holds ", tables.num_images(), " images and ", tables.num_records(),
                        " records; index.json says ", expected_images, " and ", expected_records));

  const int fd = ::open(file_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw UserError(cat("cannot open ", where, ": ", std::strerror(errno)));
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const int saved = errno;
    ::close(fd);
    throw UserError(cat("cannot stat ", where, ": ", std::strerror(saved)));
  }
  shard_files_.push_back(file_path);
  fds_.push_back(fd);
  file_sizes_.push_back(static_cast<std::uint64_t>(info.st_size));

  const std::size_t first_image = images_.size();
  for (std::size_t i = 0; i < tables.num_images(); ++i) {
    ImageLocation image;
    image.shard = shard;
    image.image_id = tables.image_id[i];
    image.offset = tables.offset[i];
    image.length = tables.length[i];
    image.checksum = tables.checksum[i];
    image.inside_data = image.offset <= jpeg.size && image.length <= jpeg.size - image.offset;
    image.file_offset = image.inside_data ? jpeg.file_offset + image.offset : 0;
    images_.push_back(image);
  }
  for (std::size_t r = 0; r < tables.num_records(); ++r) {
    records_.push_back(tables.record(r));
    record_image_.push_back(first_image + static_cast<std::size_t>(tables.image_index[r]));
  }
}

std::string ShardSet::image_problem(std::size_t i) const {
  const ImageLocation& image = images_[i];
  if (image.length == 0) return "its image has length 0";
  if (!image.inside_data)
    return cat("its image (offset ", image.offset, ", length ", image.length,
               ") lies outside the shard's image data");
  if (image.file_offset + image.length > file_sizes_[static_cast<std::size_t>(image.shard)])
    return "its image lies beyond the end of the shard file (truncated file?)";
  return {};
}

bool ShardSet::record_looks_valid(std::size_t i, std::string* why) const {
  auto fail = [&](const std::string& reason) {
    if (why) *why = reason;
    return false;
  };
  const std::string image = image_problem(record_image_[i]);
  if (!image.empty()) return fail(image);
  const std::string values = record_problem(records_[i]);
  if (!values.empty()) return fail(values);
  return true;
}

void ShardSet::read_jpeg(std::size_t i, std::vector<std::uint8_t>& out) const {
  const ImageLocation& image = image_of(i);
  const auto shard = static_cast<std::size_t>(image.shard);
  const std::string problem = image_problem(record_image_[i]);
  if (!problem.empty()) throw DataError(i, cat("record ", i, " of '", shard_files_[shard], "': ", problem));
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
  if (checksum(out.data(), out.size()) != image.checksum)
    throw DataError(i, cat("record ", i, " of '", shard_files_[shard], "': its image bytes fail their checksum (",
                           "damaged file; prepare the split again)"));
}

}  // namespace pose
