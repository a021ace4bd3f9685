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

  // Each image once, under its first record (every stored image has one); then each record's
  // values, unless its image is already reported.
  std::vector<bool> image_checked(set.num_images(), false), image_bad(set.num_images(), false);
  std::vector<std::uint8_t> bytes;
  for (std::size_t i = 0; i < set.size(); ++i) {
    const std::size_t image = set.image_index(i);
    const std::string where = cat("'", set.shard_files()[static_cast<std::size_t>(set.images()[image].shard)],
                                  "' record ", i, " (image id ", set.images()[image].image_id, ")");
    if (!image_checked[image]) {
      image_checked[image] = true;
      std::string problem = set.image_problem(image);
      if (problem.empty()) {
        try {
          set.read_jpeg(i, bytes);
          problem = jpeg_problem(bytes, set.record(i).image_width, set.record(i).image_height);
        } catch (const Error& e) {
          problem = e.what();
        }
      }
      if (!problem.empty()) {
        image_bad[image] = true;
        report.problems.push_back(cat(where, ": ", problem));
      }
    }
    std::string why;
    if (!image_bad[image] && !set.record_looks_valid(i, &why)) report.problems.push_back(cat(where, ": ", why));
  }
  return report;
}

}  // namespace pose
