// pose_bench_coco_eval: seconds to score a val2017-sized keypoint evaluation.
//   pose_bench_coco_eval --out DIR [--seed 2017] [--repeat 3]
// Writes DIR/gt.json (5,000 images; 6,352 annotated people, 4,500 people without labelled
// joints, 300 crowd regions) and DIR/results.json (100,000 results in the format of our
// results writer), made from the seed (DIR is created if needed), then times load + evaluate
// + summarize and prints the best of --repeat runs. The files can be fed to pose_coco_eval
// and to pycocotools.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/cli_values.h"
#include "core/error.h"
#include "eval/coco_eval.h"
#include "eval/results_writer.h"
#include "io/file.h"

namespace {

constexpr int kImages = 5000, kLabelledPeople = 6352, kUnlabelledPeople = 4500, kCrowds = 300;
constexpr int kResults = 100000;

// Joint positions as fractions of a standing person's box (x, y), COCO joint order.
constexpr double kTemplate[17][2] = {{.50, .08}, {.55, .06}, {.45, .06}, {.60, .08}, {.40, .08}, {.70, .22},
                                     {.30, .22}, {.80, .38}, {.20, .38}, {.85, .52}, {.15, .52}, {.62, .55},
                                     {.38, .55}, {.62, .75}, {.38, .75}, {.62, .95}, {.38, .95}};

constexpr const char* kUsage =
    "usage: pose_bench_coco_eval --out DIR [--seed S] [--repeat N]\n"
    "Times the COCO keypoint metric on a generated input of val2017's size (5,000 images,\n"
    "100,000 results), written to DIR/gt.json and DIR/results.json.\n"
    "  --out DIR     folder for the generated files (created when missing)\n"
    "  --seed S      seed of the generated input (default 2017)\n"
    "  --repeat N    timed runs; the best is reported (default 3)\n"
    "  --help        this text\n";

struct Options {
  bool help = false;
  std::string out;
  unsigned seed = 2017;
  int repeat = 3;
};

Options parse(int argc, char** argv) {
  namespace cli = pose::cli;
  Options o;
  const std::vector<std::string> args = cli::split_assignments(argc, argv);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw pose::UserError(arg + " needs a value");
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") {
      o.help = true;
      return o;
    }
    if (arg == "--out") o.out = value();
    else if (arg == "--seed") o.seed = static_cast<unsigned>(cli::whole_number(arg, value(), 0, 2147483647));
    else if (arg == "--repeat") o.repeat = cli::whole_number(arg, value(), 1, 1000);
    else throw pose::UserError("unknown option '" + arg + "'");
  }
  if (o.out.empty()) throw pose::UserError("--out DIR is required");
  return o;
}

struct Person {
  std::int64_t image_id;
  double box[4];  // x, y, w, h
  bool labelled, crowd;
};

class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}

  double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng_); }
  double normal(double sigma) { return std::normal_distribution<double>(0.0, sigma)(rng_); }
  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  // Images with people are drawn with a skew, so a few hold many people (and > 20 results).
  int skewed_image(int images) { return static_cast<int>(images * std::pow(uniform(0, 1), 1.6)); }

  Person person(std::int64_t image_id, double min_height, double max_height) {
    Person p{image_id, {}, true, false};
    const double h = std::exp(uniform(std::log(min_height), std::log(max_height)));
    const double w = h * uniform(0.35, 0.7);
    p.box[0] = uniform(-0.1 * w, 640 - 0.9 * w);
    p.box[1] = uniform(-0.1 * h, 480 - 0.9 * h);
    p.box[2] = w;
    p.box[3] = h;
    return p;
  }

  // Template joints in the box, jittered by `noise` times the box height.
  std::array<double, 51> pose_in(const double box[4], double noise) {
    std::array<double, 51> k{};
    for (int j = 0; j < 17; ++j) {
      k[3 * j] = box[0] + kTemplate[j][0] * box[2] + normal(noise * box[3]);
      k[3 * j + 1] = box[1] + kTemplate[j][1] * box[3] + normal(noise * box[3]);
    }
    return k;
  }

 private:
  std::mt19937_64 rng_;
};

nlohmann::json gt_annotation(Generator& g, const Person& p, std::int64_t id) {
  std::array<double, 51> k = g.pose_in(p.box, 0.02);
  int labelled = 0;
  for (int j = 0; j < 17; ++j) {
    const double draw = g.uniform(0, 1);
    const int v = !p.labelled ? 0 : draw < 0.55 ? 2 : draw < 0.8 ? 1 : 0;
    k[3 * j] = v ? std::round(k[3 * j]) : 0;
    k[3 * j + 1] = v ? std::round(k[3 * j + 1]) : 0;
    k[3 * j + 2] = v;
    labelled += v > 0;
  }
  if (p.labelled && labelled == 0) {  // every annotated person has at least its nose
    k[0] = std::round(p.box[0] + 0.5 * p.box[2]);
    k[1] = std::round(p.box[1] + 0.08 * p.box[3]);
    k[2] = 2;
    labelled = 1;
  }
  const double area = p.box[2] * p.box[3] * (p.crowd ? 0.8 : g.uniform(0.45, 0.65));
  return {{"id", id},
          {"image_id", p.image_id},
          {"category_id", 1},
          {"iscrowd", p.crowd ? 1 : 0},
          {"area", area},
          {"bbox", {p.box[0], p.box[1], p.box[2], p.box[3]}},
          {"num_keypoints", labelled},
          {"keypoints", k}};
}

pose::PosePrediction prediction(Generator& g, std::int64_t image_id, const double box[4], double noise, double score) {
  pose::PosePrediction r;
  r.image_id = image_id;
  r.keypoints = g.pose_in(box, noise);
  for (int j = 0; j < 17; ++j) r.keypoints[3 * j + 2] = g.uniform(0.05, 1.0);
  r.center = {box[0] + 0.5 * box[2], box[1] + 0.5 * box[3]};
  r.scale = {box[2] / 200 * 1.25, box[3] / 200 * 1.25};
  r.score = score;
  return r;
}

void generate(const Options& o, const std::string& gt_path, const std::string& results_path) {
  Generator g(o.seed);
  std::vector<std::int64_t> image_ids;
  nlohmann::json images = nlohmann::json::array();
  for (int i = 0; i < kImages; ++i) {  // sparse, increasing ids like COCO's
    image_ids.push_back(static_cast<std::int64_t>(i) * 116 + 1 + g.below(116));
    images.push_back({{"id", image_ids.back()}, {"width", 640}, {"height", 480},
                      {"file_name", std::to_string(image_ids.back()) + ".jpg"}});
  }
  // People live in the first 2,700 images (in COCO about half the images show someone).
  const int people_images = 2700;
  std::vector<Person> people;
  for (int i = 0; i < kLabelledPeople; ++i) people.push_back(g.person(image_ids[g.skewed_image(people_images)], 40, 450));
  for (int i = 0; i < kUnlabelledPeople; ++i) {
    Person p = g.person(image_ids[g.skewed_image(people_images)], 12, 60);
    p.labelled = false;
    people.push_back(p);
  }
  for (int i = 0; i < kCrowds; ++i) {
    Person p = g.person(image_ids[g.below(people_images)], 80, 300);
    p.box[2] *= 3;
    p.labelled = false;
    p.crowd = true;
    people.push_back(p);
  }
  nlohmann::json annotations = nlohmann::json::array();
  for (std::size_t i = 0; i < people.size(); ++i) annotations.push_back(gt_annotation(g, people[i], 1 + static_cast<std::int64_t>(i)));
  const nlohmann::json gt = {{"images", images},
                             {"annotations", annotations},
                             {"categories", {{{"id", 1}, {"name", "person"}, {"supercategory", "person"}}}}};
  pose::write_text_file(gt_path, gt.dump());

  // Results: a detection for most people (noisier and less sure for the small ones), some
  // duplicates, three hits in each crowd, then false alarms up to 100,000.
  std::vector<pose::PosePrediction> results;
  // Every draw is its own statement: the order of evaluation of function arguments is
  // unspecified, and the files must not depend on the compiler.
  for (const Person& p : people) {
    int copies = 3;
    if (!p.crowd) {
      copies = p.labelled || g.uniform(0, 1) < 0.5;
      copies += g.uniform(0, 1) < 0.4;
    }
    for (int c = 0; c < copies; ++c) {
      const double noise = g.uniform(0.003, p.labelled ? 0.035 : 0.1);
      const double score = g.uniform(c == 0 && p.labelled ? 0.4 : 0.05, 1.0);
      results.push_back(prediction(g, p.image_id, p.box, noise, score));
    }
  }
  while (results.size() < static_cast<std::size_t>(kResults)) {
    const int image = g.uniform(0, 1) < 0.7 ? g.skewed_image(people_images) : g.below(kImages);
    const Person p = g.person(image_ids[image], 20, 400);
    const double score = g.uniform(0.0, 0.35);
    results.push_back(prediction(g, p.image_id, p.box, 0.05, score));
  }
  results.resize(kResults);
  pose::write_coco_results(results_path, results);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    o = parse(argc, argv);
  } catch (const pose::UserError& e) {
    std::fprintf(stderr, "pose_bench_coco_eval: %s\n%s", e.what(), kUsage);
    return 2;
  }
  if (o.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  try {
    const std::string gt_path = o.out + "/gt.json", results_path = o.out + "/results.json";
    std::error_code error;
    std::filesystem::create_directories(o.out, error);
    if (error) throw pose::UserError(pose::cat("cannot create --out '", o.out, "': ", error.message()));
    generate(o, gt_path, results_path);
    std::printf("COCO keypoint metric benchmark: %d images, %d results (seed %u), files in %s\n", kImages, kResults,
                o.seed, o.out.c_str());
    double best = 1e30, best_gt = 0, best_results = 0, best_eval = 0;
    std::string table;
    for (int r = 0; r < o.repeat; ++r) {
      const auto start = std::chrono::steady_clock::now();
      const pose::CocoGroundTruth gt = pose::load_coco_gt(gt_path);
      const double t_gt = seconds_since(start);
      const auto detections = pose::load_coco_results(results_path, gt);
      const double t_results = seconds_since(start);
      table = pose::format_stats_table(pose::evaluate_coco_keypoints(gt, detections));
      const double total = seconds_since(start);
      std::printf("run %d: %.3f s (load GT %.3f s, load results %.3f s, evaluate + summarize %.3f s)\n", r + 1,
                  total, t_gt, t_results - t_gt, total - t_results);
      if (total < best) {
        best = total;
        best_gt = t_gt;
        best_results = t_results - t_gt;
        best_eval = total - t_results;
      }
    }
    std::fputs(table.c_str(), stdout);
    std::printf("best of %d: %.3f s (load GT %.3f s, load results %.3f s, evaluate + summarize %.3f s)\n", o.repeat,
                best, best_gt, best_results, best_eval);
    return 0;
  } catch (const pose::UserError& e) {
    std::fprintf(stderr, "pose_bench_coco_eval: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pose_bench_coco_eval: internal error: %s\n", e.what());
    return 1;
  }
}
