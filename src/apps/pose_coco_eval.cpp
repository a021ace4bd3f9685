// pose_coco_eval: the COCO keypoint metric of a results file, as pycocotools reports it.
//   pose_coco_eval --gt GT.json --results RESULTS.json [--json]
// Prints pycocotools' 10-line summary table, or with --json one object with AP, AP50, AP75,
// APm, APl, AR, AR50, AR75, ARm, ARl (full double precision; -1 where pycocotools gives -1).
// Exit status: 0 done, 2 bad arguments or input files, 1 internal error.
#include <cstdio>
#include <string>
#include <vector>

#include "core/cli_values.h"
#include "core/error.h"
#include "eval/coco_eval.h"

namespace {

constexpr const char* kUsage =
    "usage: pose_coco_eval --gt GT.json --results RESULTS.json [--json]\n"
    "\n"
    "Scores COCO keypoint results against ground truth exactly as pycocotools'\n"
    "COCOeval(iouType='keypoints') does: OKS thresholds 0.50:0.05:0.95, areas all/medium/large,\n"
    "20 detections per image, every image and category of GT.json.\n"
    "\n"
    "  --gt FILE        COCO annotations (images, categories, annotations with keypoints)\n"
    "                   (every option also as --option=VALUE)\n"
    "  --results FILE   list of {image_id, category_id, keypoints[51], score}\n"
    "  --json           print {\"AP\": ..., ..., \"ARl\": ...} instead of the table\n"
    "  --help           this text\n";

struct Options {
  std::string gt, results;
  bool json = false;
  bool help = false;
};

Options parse(int argc, char** argv) {
  Options o;
  const std::vector<std::string> args = pose::cli::split_assignments(argc, argv);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw pose::UserError("pose_coco_eval: " + arg + " needs a value (see --help)");
      return args[++i];
    };
    if (arg == "--gt") o.gt = value();
    else if (arg == "--results") o.results = value();
    else if (arg == "--json") o.json = true;
    else if (arg == "--help" || arg == "-h") o.help = true;
    else throw pose::UserError("pose_coco_eval: unknown option '" + arg + "' (see --help)");
  }
  if (!o.help && (o.gt.empty() || o.results.empty()))
    throw pose::UserError("pose_coco_eval: --gt GT.json and --results RESULTS.json are required (see --help)");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse(argc, argv);
    if (o.help) {
      std::fputs(kUsage, stdout);
      return 0;
    }
    const pose::CocoGroundTruth gt = pose::load_coco_gt(o.gt);
    const auto detections = pose::load_coco_results(o.results, gt);
    const pose::CocoKeypointStats stats = pose::evaluate_coco_keypoints(gt, detections);
    const std::string text = o.json ? pose::format_stats_json(stats) + "\n" : pose::format_stats_table(stats);
    std::fputs(text.c_str(), stdout);
    return 0;
  } catch (const pose::UserError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pose_coco_eval: internal error: %s\n", e.what());
    return 1;
  }
}
