#include "data/shard_verify.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "core/error.h"
#include "data/jpeg_decode.h"
#include "data/shard_format.h"
#include "data/shard_reader.h"
#include "io/file.h"

namespace pose {

VerifyReport verify_shards(const std::string& split_path) {
  VerifyReport report;
  std::optional<ShardSet> opened;
  try {
    opened.emplace(ShardSet::open(split_path));
  } catch (const Error& e) {
    report.problems.push_back(e.what());
    return report;
  }
  const ShardSet& set = *opened;
  report.records = set.size();
  report.images = set.num_images();

  const auto index = nlohmann::json::parse(read_text_file(
      (std::filesystem::path(set.path()) / shard_format::kIndexFile).string()));
  if (index.value("num_records", std::size_t{0}) != set.size())
    report.problems.push_back(cat("index.json says ", index.value("num_records", 0), " records, the shards hold ", set.size()));
  if (index.value("num_images", std::size_t{0}) != set.num_images())
    report.problems.push_back(cat("index.json says ", index.value("num_images", 0), " images, the shards hold ", set.num_images()));

  std::set<std::pair<int, std::uint64_t>> checked;  // images already read, by (shard, position)
  std::vector<std::uint8_t> bytes;
  for (std::size_t i = 0; i < set.size(); ++i) {
    const auto& image = set.image_of(i);
    const std::string where = cat("'", set.shard_files()[static_cast<std::size_t>(image.shard)], "' record ", i,
                                  " (image id ", image.image_id, ")");
    std::string why;
    if (!set.record_looks_valid(i, &why)) {
      report.problems.push_back(cat(where, ": ", why));
      continue;
    }
    if (!checked.insert({image.shard, image.file_offset}).second) continue;
    try {
      set.read_jpeg(i, bytes);
      const JpegHeader header = read_jpeg_header(bytes.data(), bytes.size());
      const PersonRecord& r = set.record(i);
      if (header.width != r.image_width || header.height != r.image_height)
        report.problems.push_back(cat(where, ": the JPEG is ", header.width, "x", header.height,
                                      " but the tables say ", r.image_width, "x", r.image_height));
    } catch (const Error& e) {
      report.problems.push_back(cat(where, ": ", e.what()));
    }
  }
  return report;
}

}  // namespace pose
