// pose_prepare: a COCO 2017 layout -> sharded HDF5 (docs/data_format.md), or --verify.
//   pose_prepare --coco-root DIR --split val2017 --out DIR [--shards N] [--boxes gt|detector]
//                [--det-file FILE] [--image-thre X] [--input-size 192x256] [--threads T]
//                [--skip-missing] [--quiet]
//   pose_prepare --verify DIR
// The split goes to <out>/<split>/. Exit status: 0 done, 2 bad input or problems found.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "core/error.h"
#include "data/coco_records.h"
#include "data/shard_verify.h"
#include "data/shard_writer.h"

namespace {

struct Options {
  pose::ShardWriteOptions write;
  std::string out;
  std::string det_file;
  double image_thre = 0;
  pose::RecordOptions records;
  std::string verify;
};

constexpr const char* kUsage =
    "usage: pose_prepare --coco-root DIR --split SPLIT --out DIR [--shards N] [--boxes gt|detector]\n"
    "                    [--det-file FILE] [--image-thre X] [--input-size WxH] [--threads T]\n"
    "                    [--skip-missing] [--quiet]\n"
    "       pose_prepare --verify SPLIT_DIR\n";

Options parse(int argc, char** argv) {
  Options o;
  o.write.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  o.write.box_source = "gt";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw pose::UserError(arg + " needs a value\n" + kUsage);
      return argv[++i];
    };
    auto integer = [&](const std::string& text) {
      char* end = nullptr;
      const long v = std::strtol(text.c_str(), &end, 10);
      if (text.empty() || *end || v < 1 || v > 100000)
        throw pose::UserError(arg + " wants a whole number in [1, 100000], got '" + text + "'");
      return static_cast<int>(v);
    };
    if (arg == "--coco-root") o.write.coco_root = value();
    else if (arg == "--split") o.write.split = value();
    else if (arg == "--out") o.out = value();
    else if (arg == "--shards") o.write.shards = integer(value());
    else if (arg == "--threads") o.write.threads = integer(value());
    else if (arg == "--boxes") o.write.box_source = value();
    else if (arg == "--det-file") o.det_file = value();
    else if (arg == "--image-thre") o.image_thre = std::atof(value().c_str());
    else if (arg == "--input-size") {
      const std::string size = value();
      if (std::sscanf(size.c_str(), "%dx%d", &o.records.input_width, &o.records.input_height) != 2 ||
          o.records.input_width < 1 || o.records.input_height < 1)
        throw pose::UserError("--input-size wants WxH (e.g. 192x256), got '" + size + "'");
    } else if (arg == "--skip-missing") o.write.skip_missing = true;
    else if (arg == "--quiet") o.write.progress = false;
    else if (arg == "--verify") o.verify = value();
    else throw pose::UserError("unknown option '" + arg + "'\n" + kUsage);
  }
  if (!o.verify.empty()) return o;
  if (o.write.coco_root.empty() || o.write.split.empty() || o.out.empty())
    throw pose::UserError(std::string("--coco-root, --split and --out are required\n") + kUsage);
  if (o.write.box_source != "gt" && o.write.box_source != "detector")
    throw pose::UserError("--boxes is gt or detector, got '" + o.write.box_source + "'");
  if (o.write.box_source == "detector" && o.det_file.empty())
    throw pose::UserError("--boxes detector needs --det-file (e.g. COCO_val2017_detections_AP_H_56_person.json)");
  o.write.out_dir = (std::filesystem::path(o.out) / o.write.split).string();
  return o;
}

int verify(const std::string& path) {
  const pose::VerifyReport report = pose::verify_shards(path);
  for (const std::string& problem : report.problems) std::fprintf(stderr, "problem: %s\n", problem.c_str());
  std::printf("verify %s: %zu images, %zu records, %zu problem(s)\n", path.c_str(), report.images,
              report.records, report.problems.size());
  return report.problems.empty() ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse(argc, argv);
    if (!o.verify.empty()) return verify(o.verify);
    const std::string annotations = (std::filesystem::path(o.write.coco_root) / "annotations" /
                                     ("person_keypoints_" + o.write.split + ".json")).string();
    const pose::RecordSet records = o.write.box_source == "gt"
        ? pose::gt_records(annotations, o.records)
        : pose::detector_records(annotations, o.det_file, o.image_thre, o.records);
    std::printf("%s: %zu images, %zu records (%s boxes)\n", o.write.split.c_str(), records.images.size(),
                records.num_records(), o.write.box_source.c_str());
    const pose::ShardWriteSummary s = pose::write_shards(records, o.write);
    std::printf("wrote %s: %zu images, %zu records, %.1f MB in %d shard(s), %.2f s, %.0f images/s%s\n",
                o.write.out_dir.c_str(), s.images, s.records, s.bytes / 1e6, o.write.shards, s.seconds,
                s.seconds > 0 ? s.images / s.seconds : 0.0,
                s.skipped_images ? (", " + std::to_string(s.skipped_images) + " missing images skipped").c_str() : "");
    return 0;
  } catch (const pose::Error& e) {
    std::fprintf(stderr, "pose_prepare: %s\n", e.what());
    return 2;
  }
}
