#include "prepare_options.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "core/error.h"

namespace pose {

const char* const kPrepareUsage =
    "usage: pose_prepare --coco-root DIR --split SPLIT --out DIR [--shards N] [--boxes gt|detector]\n"
    "                    [--det-file FILE] [--image-thre X] [--input-size WxH] [--threads T]\n"
    "                    [--name NAME] [--force] [--skip-missing] [--quiet]\n"
    "       pose_prepare --verify SPLIT_DIR\n"
    "Reads <coco-root>/annotations/person_keypoints_<split>.json and the images\n"
    "<coco-root>/<split>/%012d.jpg (or <coco-root>/images/<split>/...), writes <out>/<name>/.\n"
    "  --shards N        number of shard files (default 1)\n"
    "  --boxes gt        ground-truth boxes (default); detector: boxes of --det-file\n"
    "  --image-thre X    detector boxes: keep score >= X (default 0)\n"
    "  --input-size WxH  network input whose aspect boxes are widened to (default 192x256)\n"
    "  --threads T       threads reading image files (default: all cores)\n"
    "  --name NAME       the prepared split's own name: its folder under --out and its shard\n"
    "                    file names (default: SPLIT), e.g. val2017_detector beside val2017\n"
    "  --force           replace a split already prepared under that name, removing its\n"
    "                    shard files that the new index does not list\n"
    "  --skip-missing    leave out images whose file is missing, and count them\n"
    "  --quiet           no progress line\n"
    "  --verify DIR      check a prepared split; exit status 0 if clean, 2 otherwise\n";

namespace {

int whole_number(const std::string& option, const std::string& text, long low, long high) {
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || v < low || v > high)
    throw UserError(cat(option, " wants a whole number in [", low, ", ", high, "], got '", text, "'"));
  return static_cast<int>(v);
}

double real_number(const std::string& option, const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v))
    throw UserError(cat(option, " wants a number, got '", text, "'"));
  return v;
}

void parse_input_size(const std::string& text, RecordOptions& records) {
  const std::size_t x = text.find('x');
  if (x == std::string::npos) throw UserError(cat("--input-size wants WxH (e.g. 192x256), got '", text, "'"));
  records.input_width = whole_number("--input-size width", text.substr(0, x), 1, 100000);
  records.input_height = whole_number("--input-size height", text.substr(x + 1), 1, 100000);
}

// The split names a folder and a file: no path separators or dots that could leave them.
bool plain_name(const std::string& name) {
  if (name.empty() || name == "." || name == "..") return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) return false;
  return true;
}

void check(const PrepareOptions& o, bool image_thre_given) {
  if (o.write.coco_root.empty() || o.write.split.empty() || o.out.empty())
    throw UserError("--coco-root, --split and --out are required (or --verify DIR)");
  if (!plain_name(o.write.split))
    throw UserError(cat("--split wants a plain name such as train2017 or val2017, got '", o.write.split, "'"));
  if (!plain_name(o.write.name))
    throw UserError(cat("--name wants a plain name such as val2017_detector, got '", o.write.name, "'"));
  if (!std::filesystem::is_directory(o.write.coco_root))
    throw UserError(cat("--coco-root '", o.write.coco_root, "' is not a folder"));
  if (o.write.box_source != "gt" && o.write.box_source != "detector")
    throw UserError(cat("--boxes is gt or detector, got '", o.write.box_source, "'"));
  const bool detector = o.write.box_source == "detector";
  if (detector && o.det_file.empty())
    throw UserError("--boxes detector needs --det-file (e.g. COCO_val2017_detections_AP_H_56_person.json)");
  if (!detector && (!o.det_file.empty() || image_thre_given))
    throw UserError("--det-file and --image-thre apply only with --boxes detector");
}

}  // namespace

std::string PrepareOptions::annotation_file() const {
  return (std::filesystem::path(write.coco_root) / "annotations" / ("person_keypoints_" + write.split + ".json"))
      .string();
}

PrepareOptions parse_prepare_options(int argc, char** argv) {
  PrepareOptions o;
  o.write.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  o.write.box_source = "gt";
  bool image_thre_given = false;
  bool other_than_verify = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw UserError(cat(arg, " needs a value"));
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") {
      o.help = true;
      return o;
    }
    if (arg == "--verify") {
      o.verify = value();
      continue;
    }
    other_than_verify = true;
    if (arg == "--coco-root") o.write.coco_root = value();
    else if (arg == "--split") o.write.split = value();
    else if (arg == "--out") o.out = value();
    else if (arg == "--shards") o.write.shards = whole_number(arg, value(), 1, 100000);
    else if (arg == "--threads") o.write.threads = whole_number(arg, value(), 1, 1024);
    else if (arg == "--boxes") o.write.box_source = value();
    else if (arg == "--det-file") o.det_file = value();
    else if (arg == "--image-thre") {
      o.image_thre = real_number(arg, value());
      image_thre_given = true;
    } else if (arg == "--input-size") parse_input_size(value(), o.records);
    else if (arg == "--name") o.write.name = value();
    else if (arg == "--force") o.write.force = true;
    else if (arg == "--skip-missing") o.write.skip_missing = true;
    else if (arg == "--quiet") o.write.progress = false;
    else throw UserError(cat("unknown option '", arg, "'"));
  }
  if (!o.verify.empty()) {
    if (other_than_verify) throw UserError("--verify takes no other options");
    return o;
  }
  if (o.write.name.empty()) o.write.name = o.write.split;
  check(o, image_thre_given);
  o.write.out_dir = (std::filesystem::path(o.out) / o.write.name).string();
  o.write.input_width = o.records.input_width;
  o.write.input_height = o.records.input_height;
  o.write.det_file = o.det_file;
  o.write.image_thre = o.image_thre;
  return o;
}

}  // namespace pose
