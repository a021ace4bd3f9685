// pose_infer: 2-D poses of the people in JPEG images, with a model file (ours, or a released
// model converted by preprocess/weights/convert_pose_model.py), on every rank of the MPI job.
// Boxes come from --box, a COCO detection file (--det-file) or the whole image. Every rank
// plans the same jobs (infer/image_jobs.h) and infers an equal share of the person crops;
// rank 0 gathers the poses, rescores them and applies OKS-NMS as evaluation does, writes
// <out>/keypoints_results.json (the results file format of pose_eval), <out>/images.json
// (image id -> file) and one picture per image with the poses drawn (<out>/<name>.jpg).
// Problems with single inputs are reported with the file named and the rest is processed.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "apps/infer_options.h"
#include "apps/program_setup.h"
#include "core/error.h"
#include "core/log.h"
#include "data/loader_config.h"
#include "data/sampler.h"
#include "eval/results_writer.h"
#include "eval/select_predictions.h"
#include "infer/batch_predictor.h"
#include "infer/gather_poses.h"
#include "infer/image_inference.h"
#include "model/model_config.h"
#include "model/weights.h"
#include "viz/picture.h"
#include "viz/skeleton.h"

namespace {

namespace fs = std::filesystem;

void report(const pose::Runtime& runtime, const std::vector<std::string>& problems) {
  if (runtime.is_root())
    for (const std::string& p : problems) pose::log::warn(p);
}

// One picture per image with its kept poses; a picture that cannot be made is reported.
void draw_pictures(const std::vector<pose::ImageJob>& jobs, const std::vector<pose::PosePrediction>& kept,
                   const std::string& out_dir, double threshold) {
  std::multimap<std::int64_t, const pose::PosePrediction*> by_image;
  for (const pose::PosePrediction& p : kept) by_image.emplace(p.image_id, &p);
  pose::PoseStyle style;
  style.score_threshold = threshold;
  for (const pose::ImageJob& job : jobs) {
    const std::string path = out_dir + "/" + fs::path(job.path).stem().string() + ".jpg";
    try {
      pose::Picture picture = pose::read_jpeg_picture(job.path);
      const auto [from, to] = by_image.equal_range(job.image_id);
      for (auto it = from; it != to; ++it) pose::draw_pose(picture, it->second->keypoints, style);
      pose::write_jpeg_picture(path, picture);
    } catch (const pose::Error& e) {
      pose::log::warn("no picture for '", job.path, "': ", e.what());
    }
  }
}

void write_image_index(const std::vector<pose::ImageJob>& jobs, const std::string& path) {
  nlohmann::json index = nlohmann::json::array();
  for (const pose::ImageJob& job : jobs)
    index.push_back({{"image_id", job.image_id}, {"file", job.path}, {"width", job.width}, {"height", job.height}});
  const std::string partial = path + ".partial";
  std::ofstream(partial) << index.dump(1) << '\n';
  fs::rename(partial, path);
}

}  // namespace

int main(int argc, char** argv) {
  return pose::run_main(argc, argv, [&](pose::Runtime& runtime) {
    pose::InferOptions options;
    std::string problem;
    try {
      options = pose::parse_infer_options(argc, argv);
    } catch (const pose::UserError& e) {
      problem = pose::cat(e.what(), " (pose_infer --help lists the flags)");
    }
    runtime.stop_if_any_failed(problem);
    std::vector<char*> args;
    for (std::string& a : options.config_args) args.push_back(a.data());
    const std::optional<pose::Config> config = pose::setup_config(runtime, static_cast<int>(args.size()), args.data());
    if (!config) {
      if (runtime.is_root() && options.help) std::cout << pose::infer_usage();
      return 0;
    }
    if (config->test.model_file.empty())
      problem = "--model: missing (a weight file: ours, or a converted released model)";
    runtime.stop_if_any_failed(problem);

    std::map<std::int64_t, std::vector<pose::ScoredBox>> detections;
    pose::BoxChoice choice;
    choice.boxes = options.boxes;
    std::vector<std::string> problems;
    std::vector<pose::ImageJob> jobs;
    try {
      if (!options.det_file.empty()) {
        detections = pose::read_detection_boxes(options.det_file, config->test.image_thre);
        choice.detections = &detections;
      }
      const pose::RecordOptions shape{config->data.image_width, config->data.image_height};
      jobs = pose::plan_image_jobs(pose::list_images(options.inputs, problems), choice, shape, problems);
      if (jobs.empty()) throw pose::UserError("no readable image among --images");
      if (runtime.is_root()) fs::create_directories(options.out_dir);
    } catch (const pose::UserError& e) {
      report(runtime, problems);
      problem = e.what();
    } catch (const fs::filesystem_error& e) {
      problem = pose::cat("cannot create the output folder '", options.out_dir, "': ", e.code().message());
    }
    runtime.stop_if_any_failed(problem);
    report(runtime, problems);
    problems.clear();

    const pose::DeviceContext device = pose::open_device(runtime, *config);
    std::unique_ptr<pose::BatchPredictor> predictor;
    try {
      predictor = std::make_unique<pose::BatchPredictor>(pose::spec_from_config(*config), device,
                                                         config->test.batch_size, *config);
      pose::load_weights(predictor->net(), pose::read_weight_file(config->test.model_file), pose::LoadMode::Whole);
    } catch (const pose::UserError& e) {
      problem = pose::cat("model '", config->test.model_file, "': ", e.what());
    }
    runtime.stop_if_any_failed(problem);

    const std::size_t people = pose::count_people(jobs);
    const pose::IndexRange range = pose::eval_range(people, runtime.rank(), runtime.size());
    const pose::SampleSettings settings = pose::loader_settings(*config, /*training=*/false, false).sample;
    pose::log::info(jobs.size(), " image(s), ", people, " person box(es) on ", runtime.size(), " rank(s), model '",
                    config->test.model_file, "' (", predictor->net().spec().str(), ")");
    const std::vector<pose::PosePrediction> local =
        pose::infer_people(jobs, range.begin, range.end, settings, *predictor, problems);
    for (const std::string& p : problems) std::cerr << "pose_infer: rank " << runtime.rank() << ": " << p << "\n";
    const std::vector<pose::PosePrediction> all = pose::gather_poses(runtime, local);
    if (runtime.is_root()) {
      const std::vector<pose::PosePrediction> kept =
          pose::select_predictions(all, config->test.in_vis_thre, config->test.oks_thre);
      const std::string results = options.out_dir + "/keypoints_results.json";
      pose::write_coco_results(results, kept);
      write_image_index(jobs, options.out_dir + "/images.json");
      draw_pictures(jobs, kept, options.out_dir, config->test.in_vis_thre);
      pose::log::info(all.size(), " pose(s) inferred, ", kept.size(), " after OKS-NMS, written to ", results,
                      "; pictures in ", options.out_dir);
    }
    return 0;
  });
}
