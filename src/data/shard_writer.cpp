#include "data/shard_writer.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "core/error.h"
#include "data/checksum.h"
#include "data/jpeg_decode.h"
#include "data/progress_line.h"
#include "data/record_checks.h"
#include "data/shard_format.h"
#include "data/shard_tables.h"
#include "io/file.h"
#include "io/hdf5_check.h"
#include "io/hdf5_file.h"

namespace pose {
namespace {

namespace fs = std::filesystem;

// Images read ahead per round: bounds memory (about 40 MB of COCO images) while giving the
// reading threads enough work.
constexpr std::size_t kReadAhead = 256;

struct PendingImage {
  const CocoImage* image;
  const std::vector<PersonRecord>* records;
  std::string path;
  std::uint64_t size = 0;
};

// The images that have records and a file; missing files are an error or, with
// skip_missing, counted.
std::vector<PendingImage> find_images(const RecordSet& set, const ShardWriteOptions& options,
                                      std::size_t& skipped) {
  std::vector<PendingImage> images;
  for (std::size_t i = 0; i < set.images.size(); ++i) {
    if (set.records[i].empty()) continue;
    PendingImage p{&set.images[i], &set.records[i], image_path(options.coco_root, options.split, set.images[i].id)};
    std::error_code error;
    p.size = fs::file_size(p.path, error);
    if (error) {
      if (!options.skip_missing)
        throw UserError(cat("image ", p.image->id, ": cannot read '", p.path, "': ", error.message(),
                            " (--skip-missing leaves such images out)"));
      ++skipped;
      continue;
    }
    images.push_back(std::move(p));
  }
  return images;
}

// Reads the files of images[begin, end) on `threads` threads and checks that each is a JPEG.
// No HDF5 here: the caller writes the bytes from its own thread.
std::vector<std::string> read_images(const std::vector<PendingImage>& images, std::size_t begin,
                                     std::size_t end, int threads) {
  std::vector<std::string> bytes(end - begin);
  std::vector<std::string> errors(end - begin);
  std::atomic<std::size_t> next{begin};
  auto work = [&] {
    for (std::size_t i; (i = next++) < end;) {
      const PendingImage& p = images[i];
      try {
        std::string data = read_text_file(p.path);
        if (data.size() != p.size) throw UserError("the file changed size while being prepared");
        const JpegHeader header = read_jpeg_header(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
        if (header.width != p.image->width || header.height != p.image->height)
          throw UserError(cat("the JPEG is ", header.width, "x", header.height, " but the annotation file says ",
                              p.image->width, "x", p.image->height));
        bytes[i - begin] = std::move(data);
      } catch (const Error& e) {
        errors[i - begin] = cat("image ", p.image->id, " ('", p.path, "'): ", e.what());
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  for (const std::string& e : errors)  // the first in image order, whatever the thread count
    if (!e.empty()) throw UserError(e);
  return bytes;
}

std::string shard_name(const std::string& split, std::size_t index, std::size_t count) {
  char name[64];  // room for two full-width 64-bit numbers
  std::snprintf(name, sizeof name, "-%05zu-of-%05zu.h5", index, count);
  return split + name;
}

std::string name_of(const ShardWriteOptions& options) { return options.name.empty() ? options.split : options.name; }

// Refuses a record that the reader would reject, naming it.
void check_record(const PersonRecord& r) {
  const std::string problem = record_problem(r);
  if (!problem.empty())
    throw UserError(cat("image ", r.image_id, (r.annotation_id >= 0 ? cat(", annotation ", r.annotation_id) : ""),
                        ": ", problem, "; fix the annotation or detection file"));
}

// The files of a split already in `out` (its index and shards), for the refusal message.
std::vector<std::string> existing_split_files(const fs::path& out) {
  std::vector<std::string> found;
  std::error_code error;
  if (!fs::is_directory(out, error)) return found;
  for (const auto& entry : fs::directory_iterator(out, error)) {
    const std::string name = entry.path().filename().string();
    if (name == shard_format::kIndexFile || entry.path().extension() == ".h5") found.push_back(name);
  }
  std::sort(found.begin(), found.end());
  return found;
}

// With --force: the shard files of an earlier preparation that the new index does not list,
// and temporary files that a killed preparation left behind.
void remove_unlisted_shards(const fs::path& out, const nlohmann::json& index) {
  std::set<std::string> listed;
  for (const nlohmann::json& shard : index["shards"]) listed.insert(shard["file"].get<std::string>());
  std::vector<std::string> names = existing_split_files(out);
  std::error_code listing;
  for (const auto& entry : fs::directory_iterator(out, listing))
    if (entry.path().filename().string().find(".partial.") != std::string::npos)
      names.push_back(entry.path().filename().string());
  for (const std::string& name : names) {
    if (name == shard_format::kIndexFile || listed.count(name)) continue;
    std::error_code error;
    fs::remove(out / name, error);
    if (error) throw UserError(cat("--force: cannot remove the stale shard '", (out / name).string(), "': ", error.message()));
  }
}

void write_attributes(const h5::Handle& file, const ShardWriteOptions& options, std::size_t index, std::size_t count) {
  h5::write_attribute(file, "format", std::string(shard_format::kFormatName));
  h5::write_attribute(file, "version", std::int64_t{shard_format::kVersion});
  h5::write_attribute(file, "split", options.split);
  h5::write_attribute(file, "box_source", options.box_source);
  h5::write_attribute(file, "shard_index", static_cast<std::int64_t>(index));
  h5::write_attribute(file, "shard_count", static_cast<std::int64_t>(count));
  h5::write_attribute(file, "num_joints", std::int64_t{kCocoJoints});
}

// Writes one shard through a temporary name and a rename, so a shard file under its real name
// is always whole. A failed HDF5 write (a full disk) becomes a UserError naming the shard.
void write_shard(const std::string& path, const std::function<void(const h5::Handle& file)>& fill) {
  const std::string partial = temporary_path_for(path);
  try {
    {
      const h5::Handle file = h5::create_file(partial);
      fill(file);
      // Closing cannot report errors (the handle's destructor); a flush can.
      POSE_H5_CHECK(H5Fflush(file.get(), H5F_SCOPE_GLOBAL));
    }
    rename_over(partial, path);
  } catch (const UserError&) {
    std::error_code ignored;
    fs::remove(partial, ignored);
    throw;
  } catch (const Error& e) {
    std::error_code ignored;
    fs::remove(partial, ignored);
    throw UserError(cat("cannot write the shard '", path, "' (is the disk full or the folder read-only?): ", e.what()));
  }
}

}  // namespace

std::string image_path(const std::string& coco_root, const std::string& split, std::int64_t image_id) {
  char name[32];
  std::snprintf(name, sizeof name, "%012lld.jpg", static_cast<long long>(image_id));
  const fs::path direct = fs::path(coco_root) / split / name;
  if (fs::exists(direct)) return direct.string();
  const fs::path nested = fs::path(coco_root) / "images" / split / name;
  return fs::exists(nested) ? nested.string() : direct.string();
}

ShardWriteSummary write_shards(const RecordSet& set, const ShardWriteOptions& options) {
  if (options.shards < 1) throw UserError(cat("the shard count must be at least 1, got ", options.shards));
  const auto start = std::chrono::steady_clock::now();
  ShardWriteSummary summary;
  const std::vector<PendingImage> images = find_images(set, options, summary.skipped_images);
  for (const PendingImage& image : images)  // before any file is written
    for (const PersonRecord& r : *image.records) check_record(r);

  const fs::path out(options.out_dir);
  const std::vector<std::string> earlier = existing_split_files(out);
  if (!earlier.empty() && !options.force) {
    std::string list;
    for (const std::string& name : earlier) list += (list.empty() ? "" : ", ") + name;
    throw UserError(cat("'", options.out_dir, "' already holds a prepared split (", list,
                        "): pass --force to replace it, or --name NAME to prepare this one beside it"));
  }
  std::error_code error;
  fs::create_directories(out, error);
  if (error) throw UserError(cat("cannot create the output folder '", options.out_dir, "': ", error.message()));
  // An index left from an earlier run would describe shards this run overwrites; until the new
  // index is written at the end, the folder has none and cannot be mistaken for a finished split.
  fs::remove(out / shard_format::kIndexFile, error);

  nlohmann::json index = {{"format", shard_format::kFormatName}, {"version", shard_format::kVersion},
                          {"split", options.split}, {"name", name_of(options)}, {"box_source", options.box_source},
                          {"input_width", options.input_width}, {"input_height", options.input_height},
                          {"num_joints", kCocoJoints}, {"shards", nlohmann::json::array()}};
  if (options.box_source == "detector") {
    index["det_file"] = fs::path(options.det_file).filename().string();
    index["image_thre"] = options.image_thre;
  }
  ProgressLine progress(options.progress, images.size());
  const auto count = static_cast<std::size_t>(options.shards);
  for (std::size_t s = 0; s < count; ++s) {
    // Contiguous runs of about equal image count; depends only on the input.
    const std::size_t begin = images.size() * s / count, end = images.size() * (s + 1) / count;
    ShardTables tables;
    for (std::size_t i = begin; i < end; ++i) {
      tables.add_image(images[i].image->id, images[i].image->width, images[i].image->height, images[i].size);
      for (const PersonRecord& r : *images[i].records) tables.add_record(r);
    }
    const std::string name = shard_name(name_of(options), s, count);
    write_shard((out / name).string(), [&](const h5::Handle& file) {
      write_attributes(file, options, s, count);
      const h5::Handle group = h5::create_group(file, shard_format::kImages);
      const std::uint64_t total = tables.num_images() ? tables.offset.back() + tables.length.back() : 0;
      const h5::Handle jpeg = h5::create_byte_dataset(group, "jpeg", total);
      for (std::size_t i = begin; i < end; i += kReadAhead) {
        const std::size_t stop = std::min(end, i + kReadAhead);
        const std::vector<std::string> bytes = read_images(images, i, stop, options.threads);
        for (std::size_t j = i; j < stop; ++j) {
          const std::string& data = bytes[j - i];
          h5::write_bytes(jpeg, tables.offset[j - begin], reinterpret_cast<const std::uint8_t*>(data.data()),
                          data.size());
          tables.checksum[j - begin] = checksum(data.data(), data.size());
          summary.bytes += data.size();
        }
        progress.update(stop, summary.bytes);
      }
      write_shard_tables(file, group, tables);
    });
    summary.images += tables.num_images();
    summary.records += tables.num_records();
    index["shards"].push_back({{"file", name}, {"images", tables.num_images()}, {"records", tables.num_records()}});
  }
  progress.finish(images.size(), summary.bytes);
  index["num_images"] = summary.images;
  index["num_records"] = summary.records;
  write_text_file((out / shard_format::kIndexFile).string(), index.dump(2) + "\n");
  if (options.force) remove_unlisted_shards(out, index);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace pose
