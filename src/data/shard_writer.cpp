#include "data/shard_writer.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/error.h"
#include "data/jpeg_decode.h"
#include "data/shard_format.h"
#include "io/file.h"
#include "io/hdf5_file.h"

namespace pose {
namespace {

namespace fs = std::filesystem;

struct PendingImage {
  const CocoImage* image;
  const std::vector<PersonRecord>* records;
  std::string path;
  std::uint64_t size = 0;
};

// Reads the files of images [begin, end) on `threads` threads and checks each JPEG header.
std::vector<std::string> read_images(const std::vector<PendingImage>& images, std::size_t begin,
                                     std::size_t end, int threads) {
  std::vector<std::string> bytes(end - begin);
  std::vector<std::string> errors(end - begin);
  std::atomic<std::size_t> next{begin};
  auto work = [&] {
    for (std::size_t i; (i = next++) < end;) {
      try {
        std::string data = read_text_file(images[i].path);
        read_jpeg_header(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
        bytes[i - begin] = std::move(data);
      } catch (const Error& e) {
        errors[i - begin] = cat("image ", images[i].image->id, " ('", images[i].path, "'): ", e.what());
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  for (const std::string& e : errors)
    if (!e.empty()) throw UserError(e);
  return bytes;
}

class Progress {
 public:
  Progress(bool enabled, std::size_t total) : enabled_(enabled), total_(total) {}
  void update(std::size_t done, std::size_t bytes, bool force = false) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    std::fprintf(stderr, "\r  %zu/%zu images, %.1f MB, %.0f images/s   ", done, total_, bytes / 1e6,
                 seconds > 0 ? done / seconds : 0.0);
    if (force) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  }

 private:
  bool enabled_;
  std::size_t total_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

void write_instances(const h5::Handle& file, const std::vector<PendingImage>& images) {
  std::vector<std::int32_t> image_index;
  std::vector<std::int64_t> image_id, annotation_id;
  std::vector<float> center, scale, box, area, score, joints;
  for (std::size_t i = 0; i < images.size(); ++i)
    for (const PersonRecord& r : *images[i].records) {
      image_index.push_back(static_cast<std::int32_t>(i));
      image_id.push_back(r.image_id);
      annotation_id.push_back(r.annotation_id);
      center.insert(center.end(), r.center.begin(), r.center.end());
      scale.insert(scale.end(), r.scale.begin(), r.scale.end());
      box.insert(box.end(), r.box.begin(), r.box.end());
      area.push_back(r.area);
      score.push_back(r.score);
      for (const Joint& j : r.joints) joints.insert(joints.end(), {j.x, j.y, j.visibility});
    }
  const hsize_t n = image_index.size();
  const h5::Handle group = h5::create_group(file, shard_format::kInstances);
  h5::write_dataset(group, "image_index", {n}, image_index.data());
  h5::write_dataset(group, "image_id", {n}, image_id.data());
  h5::write_dataset(group, "annotation_id", {n}, annotation_id.data());
  h5::write_dataset(group, "center", {n, 2}, center.data());
  h5::write_dataset(group, "scale", {n, 2}, scale.data());
  h5::write_dataset(group, "box", {n, 4}, box.data());
  h5::write_dataset(group, "area", {n}, area.data());
  h5::write_dataset(group, "score", {n}, score.data());
  h5::write_dataset(group, "joints", {n, static_cast<hsize_t>(kCocoJoints), 3}, joints.data());
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
  if (options.shards < 1) throw UserError(cat("--shards must be at least 1, got ", options.shards));
  const auto start = std::chrono::steady_clock::now();
  ShardWriteSummary summary;
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
      ++summary.skipped_images;
      continue;
    }
    images.push_back(std::move(p));
  }
  fs::create_directories(options.out_dir);

  nlohmann::json index = {{"format", shard_format::kFormatName}, {"version", shard_format::kVersion},
                          {"split", options.split}, {"box_source", options.box_source},
                          {"num_joints", kCocoJoints}, {"shards", nlohmann::json::array()}};
  Progress progress(options.progress, images.size());
  const std::size_t count = static_cast<std::size_t>(options.shards);
  for (std::size_t s = 0; s < count; ++s) {
    const std::size_t begin = images.size() * s / count, end = images.size() * (s + 1) / count;
    const std::vector<PendingImage> shard(images.begin() + static_cast<std::ptrdiff_t>(begin),
                                          images.begin() + static_cast<std::ptrdiff_t>(end));
    char name[96];
    std::snprintf(name, sizeof name, "%s-%05zu-of-%05zu.h5", options.split.c_str(), s, count);
    const h5::Handle file = h5::create_file((fs::path(options.out_dir) / name).string());
    h5::write_attribute(file, "format", std::string(shard_format::kFormatName));
    h5::write_attribute(file, "version", std::int64_t{shard_format::kVersion});
    h5::write_attribute(file, "split", options.split);
    h5::write_attribute(file, "box_source", options.box_source);
    h5::write_attribute(file, "shard_index", static_cast<std::int64_t>(s));
    h5::write_attribute(file, "shard_count", static_cast<std::int64_t>(count));
    h5::write_attribute(file, "num_joints", std::int64_t{kCocoJoints});

    std::vector<std::uint64_t> offset, length;
    std::vector<std::int64_t> ids;
    std::vector<std::int32_t> widths, heights;
    std::uint64_t total = 0;
    for (const PendingImage& p : shard) {
      offset.push_back(total);
      length.push_back(p.size);
      total += p.size;
      ids.push_back(p.image->id);
      widths.push_back(p.image->width);
      heights.push_back(p.image->height);
    }
    const h5::Handle group = h5::create_group(file, shard_format::kImages);
    const hsize_t n = shard.size();
    h5::write_dataset(group, "offset", {n}, offset.data());
    h5::write_dataset(group, "length", {n}, length.data());
    h5::write_dataset(group, "id", {n}, ids.data());
    h5::write_dataset(group, "width", {n}, widths.data());
    h5::write_dataset(group, "height", {n}, heights.data());
    const h5::Handle jpeg = h5::create_byte_dataset(group, "jpeg", total);
    constexpr std::size_t kChunk = 256;  // images read ahead per round: bounds memory
    for (std::size_t i = 0; i < shard.size(); i += kChunk) {
      const std::size_t stop = std::min(shard.size(), i + kChunk);
      const std::vector<std::string> bytes = read_images(shard, i, stop, options.threads);
      for (std::size_t j = i; j < stop; ++j) {
        const std::string& data = bytes[j - i];
        if (data.size() != shard[j].size)
          throw UserError(cat("image ", shard[j].image->id, ": '", shard[j].path, "' changed size while being read"));
        h5::write_bytes(jpeg, offset[j], reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
        summary.bytes += data.size();
      }
      progress.update(begin + stop, summary.bytes);
    }
    write_instances(file, shard);
    std::size_t records = 0;
    for (const PendingImage& p : shard) records += p.records->size();
    summary.images += shard.size();
    summary.records += records;
    index["shards"].push_back({{"file", name}, {"images", shard.size()}, {"records", records}});
  }
  progress.update(images.size(), summary.bytes, true);
  index["num_images"] = summary.images;
  index["num_records"] = summary.records;
  write_text_file((fs::path(options.out_dir) / shard_format::kIndexFile).string(), index.dump(2) + "\n");
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace pose
