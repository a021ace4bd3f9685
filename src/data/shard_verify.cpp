#include "data/shard_verify.h"

#include <optional>

#include "core/error.h"
#include "data/jpeg_decode.h"
#include "data/shard_reader.h"

namespace pose {
namespace {

constexpr std::uint8_t kMarker = 0xFF, kStartOfImage = 0xD8;

// Empty if `bytes` is a JPEG whose header says width x height, else the problem.
std::string jpeg_problem(const std::vector<std::uint8_t>& bytes, int width, int height) {
  if (bytes.size() < 2 || bytes[0] != kMarker || bytes[1] != kStartOfImage)
    return "not a JPEG (no start-of-image marker)";
  try {
    const JpegHeader header = read_jpeg_header(bytes.data(), bytes.size());
    if (header.width != width || header.height != height)
      return cat("the JPEG is ", header.width, "x", header.height, " but the tables say ", width, "x", height);
  } catch (const Error& e) {
    return e.what();
  }
  return {};
}

}  // namespace

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

  // Each image once, through its first record (every stored image has one).
  std::vector<bool> image_checked(set.num_images(), false);
  std::vector<std::uint8_t> bytes;
  const auto& images = set.images();
  for (std::size_t i = 0; i < set.size(); ++i) {
    const auto& image = set.image_of(i);
    const std::string where = cat("'", set.shard_files()[static_cast<std::size_t>(image.shard)], "' record ", i,
                                  " (image id ", image.image_id, ")");
    std::string why;
    if (!set.record_looks_valid(i, &why)) {
      report.problems.push_back(cat(where, ": ", why));
      continue;
    }
    const auto image_index = static_cast<std::size_t>(&image - images.data());
    if (image_checked[image_index]) continue;
    image_checked[image_index] = true;
    try {
      set.read_jpeg(i, bytes);
      const std::string problem = jpeg_problem(bytes, set.record(i).image_width, set.record(i).image_height);
      if (!problem.empty()) report.problems.push_back(cat(where, ": ", problem));
    } catch (const Error& e) {
      report.problems.push_back(cat(where, ": ", e.what()));
    }
  }
  return report;
}

}  // namespace pose
