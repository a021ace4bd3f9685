// pose_prepare: a COCO 2017 layout -> sharded HDF5 (docs/data_format.md), or --verify of a
// prepared split. Exit status: 0 done (or clean), 2 bad input (or problems found).
#include <cstdio>
#include <exception>
#include <string>

#include "core/error.h"
#include "data/coco_records.h"
#include "data/shard_verify.h"
#include "data/shard_writer.h"
#include "prepare_options.h"

namespace {

constexpr int kExitBadInput = 2;

int verify(const std::string& path) {
  const pose::VerifyReport report = pose::verify_shards(path);
  for (const std::string& problem : report.problems) std::fprintf(stderr, "problem: %s\n", problem.c_str());
  std::printf("verify %s: %zu images, %zu records, %zu problem(s)\n", path.c_str(), report.images,
              report.records, report.problems.size());
  return report.problems.empty() ? 0 : kExitBadInput;
}

int prepare(const pose::PrepareOptions& o) {
  const pose::RecordSet records = o.write.box_source == "gt"
      ? pose::gt_records(o.annotation_file(), o.records)
      : pose::detector_records(o.annotation_file(), o.det_file, o.image_thre, o.records);
  std::printf("%s: %zu images, %zu records (%s boxes)\n", o.write.split.c_str(), records.images.size(),
              records.num_records(), o.write.box_source.c_str());
  std::fflush(stdout);
  const pose::ShardWriteSummary s = pose::write_shards(records, o.write);
  std::printf("wrote %s: %zu images, %zu records, %.1f MB in %d shard(s), %.3f s, %.0f images/s\n",
              o.write.out_dir.c_str(), s.images, s.records, static_cast<double>(s.bytes) / 1e6, o.write.shards,
              s.seconds, s.seconds > 0 ? static_cast<double>(s.images) / s.seconds : 0.0);
  if (s.skipped_images > 0)
    std::printf("skipped %zu image(s) whose file is missing (--skip-missing)\n", s.skipped_images);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  pose::PrepareOptions options;
  try {
    options = pose::parse_prepare_options(argc, argv);
  } catch (const pose::UserError& e) {
    std::fprintf(stderr, "pose_prepare: %s\n%s", e.what(), pose::kPrepareUsage);
    return kExitBadInput;
  }
  if (options.help) {
    std::printf("%s", pose::kPrepareUsage);
    return 0;
  }
  try {
    return options.verify.empty() ? prepare(options) : verify(options.verify);
  } catch (const pose::UserError& e) {
    std::fprintf(stderr, "pose_prepare: %s\n", e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pose_prepare: internal error: %s\n", e.what());
    return 1;
  }
}
