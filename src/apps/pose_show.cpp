// pose_show: pictures of data and results, drawn by the same code as pose_infer (src/viz).
//   pose_show --results R.json --gt person_keypoints_val2017.json --images DIR --out DIR
//             [--first N | --ids 785,40083]
//     ground truth beside prediction for the first N images of the annotation file (8) or
//     the chosen ids, one <name>_gt_vs_pred.jpg each (without --results: the ground truth
//     alone, <name>_gt.jpg);
//   pose_show --samples N --config CFG --out DIR   (and any config key as a flag)
//     N augmented training samples as the network sees them, target heatmaps overlaid.
// One process (no MPI ranks needed); exit status 0, 2 for bad arguments or files.
#include <iostream>
#include <sstream>

#include "apps/program_setup.h"
#include "core/error.h"
#include "core/log.h"
#include "viz/results_pictures.h"
#include "viz/sample_pictures.h"

namespace {

const char* kUsage =
    "\nFlags of pose_show (--gt or --samples, and --out):\n"
    "  --results FILE   a COCO keypoint results file, drawn beside the ground truth\n"
    "  --gt FILE        the COCO annotation file of its images (person_keypoints_*.json)\n"
    "  --images DIR     the folder of those images\n"
    "  --first N        the first N images of the annotation file (default 8)\n"
    "  --ids A,B,...    these image ids instead\n"
    "  --samples N      N augmented training samples of the config's data.train_shards\n"
    "  --out DIR        folder for the pictures (required)\n"
    "Every flag also takes the form --flag=value.\n";

struct ShowOptions {
  pose::ResultsPictureOptions results;
  std::size_t samples = 0;
  bool help = false;
  std::vector<std::string> config_args;
};

std::size_t positive(const std::string& flag, const std::string& text) {
  std::size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(text, &used);
  } catch (const std::exception&) {
  }
  if (used != text.size() || v <= 0) throw pose::UserError(pose::cat(flag, " ", text, ": expected a positive whole number"));
  return static_cast<std::size_t>(v);
}

ShowOptions parse(int argc, char** argv) {
  ShowOptions o;
  o.config_args.emplace_back(argv[0]);
  for (int i = 1; i < argc; ++i) {
    // --flag=value is --flag value (for our flags; the config parser reads --key=value itself).
    const std::string token = argv[i];
    const std::size_t equals = token.find('=');
    const std::string flag = token.substr(0, equals);
    auto value = [&]() -> std::string {
      if (equals != std::string::npos) return token.substr(equals + 1);
      if (i + 1 >= argc) throw pose::UserError(pose::cat(flag, ": needs a value"));
      return argv[++i];
    };
    if (flag == "--results") o.results.results_file = value();
    else if (flag == "--gt") o.results.annotation_file = value();
    else if (flag == "--images") o.results.images_dir = value();
    else if (flag == "--out") o.results.out_dir = value();
    else if (flag == "--first") o.results.first = positive(flag, value());
    else if (flag == "--samples") o.samples = positive(flag, value());
    else if (flag == "--ids") {
      std::stringstream list(value());
      for (std::string id; std::getline(list, id, ',');) o.results.ids.push_back(static_cast<std::int64_t>(positive("--ids", id)));
    } else {
      if (token == "--help") o.help = true;
      o.config_args.push_back(token);
    }
  }
  if (o.help) return o;
  if (o.results.out_dir.empty()) throw pose::UserError("--out: missing (the folder for the pictures)");
  const bool pictures_of_results = !o.results.results_file.empty() || !o.results.annotation_file.empty();
  if (pictures_of_results == (o.samples > 0)) throw pose::UserError("--gt or --samples: give exactly one");
  if (pictures_of_results && (o.results.annotation_file.empty() || o.results.images_dir.empty()))
    throw pose::UserError("--gt FILE and --images DIR: both needed to draw results or ground truth");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  return pose::run_main(argc, argv, [&](pose::Runtime& runtime) {
    ShowOptions options;
    std::string problem;
    try {
      options = parse(argc, argv);
    } catch (const pose::UserError& e) {
      problem = pose::cat(e.what(), " (pose_show --help lists the flags)");
    }
    runtime.stop_if_any_failed(problem);
    std::vector<char*> args;
    for (std::string& a : options.config_args) args.push_back(a.data());
    const std::optional<pose::Config> config = pose::setup_config(runtime, static_cast<int>(args.size()), args.data());
    if (!config) {
      if (runtime.is_root() && options.help) std::cout << kUsage;
      return 0;
    }
    if (!runtime.is_root()) return 0;  // pictures are one process's work
    if (options.samples > 0) {
      const std::size_t n = pose::write_sample_pictures(*config, options.samples, options.results.out_dir);
      pose::log::info(n, " training sample picture(s) written to ", options.results.out_dir);
      return 0;
    }
    std::vector<std::string> problems;
    const std::size_t n = pose::write_results_pictures(options.results, problems);
    for (const std::string& p : problems) pose::log::warn(p);
    pose::log::info(n, options.results.results_file.empty() ? " picture(s) of the ground truth"
                                                             : " picture(s) of ground truth (left) and prediction (right)",
                    " written to ", options.results.out_dir);
    return 0;
  });
}
