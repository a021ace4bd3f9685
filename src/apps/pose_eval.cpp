// pose_eval: evaluates a model on the validation shards of a config, on every rank of the MPI
// job (infer/evaluator.h), and prints the COCO keypoint table with the protocol used.
// The model is test.model_file, or else the run's best checkpoint, or else its latest; the
// box source, flip test, batch size and results folder are test.use_gt_bbox, test.flip_test,
// test.batch_size and test.results_dir.
#include <filesystem>

#include "apps/program_setup.h"
#include "core/error.h"
#include "core/log.h"
#include "infer/evaluator.h"
#include "model/model_config.h"
#include "model/weights.h"
#include "train/checkpoint.h"

namespace {

std::string model_file(const pose::Config& config) {
  if (!config.test.model_file.empty()) return config.test.model_file;
  const std::string run_dir = config.run.output_dir + "/" + config.run.name;
  for (const std::string& path : {pose::best_checkpoint_path(run_dir), pose::latest_checkpoint_path(run_dir)})
    if (std::filesystem::exists(path)) return path;
  throw pose::UserError(pose::cat("no model to evaluate: test.model_file is empty and '", run_dir,
                                  "' holds no checkpoint (train first, or pass --test.model_file FILE)"));
}

}  // namespace

int main(int argc, char** argv) {
  return pose::run_main(argc, argv, [&](pose::Runtime& runtime) {
    const std::optional<pose::Config> config = pose::setup_config(runtime, argc, argv);
    if (!config) return 0;
    const pose::DeviceContext device = pose::open_device(runtime, config->run);
    std::string problem, path;
    std::unique_ptr<pose::PoseResNet> net;
    std::unique_ptr<pose::Evaluator> evaluator;
    try {
      path = model_file(*config);
      net = std::make_unique<pose::PoseResNet>(pose::spec_from_config(*config), device, 1, /*trainable=*/false);
      pose::load_weights(*net, pose::read_weight_file(path), pose::LoadMode::Whole);
      evaluator = std::make_unique<pose::Evaluator>(runtime, device, *config);
    } catch (const pose::UserError& e) {
      problem = e.what();
    }
    runtime.stop_if_any_failed(problem);
    pose::log::info("model: '", path, "' (", net->spec().str(), ")");
    const std::string out_dir = config->test.results_dir.empty()
                                    ? config->run.output_dir + "/" + config->run.name + "/results"
                                    : config->test.results_dir;
    const pose::EvalSummary summary = evaluator->evaluate(*net, out_dir);
    if (summary.scored)
      pose::log::info("AP ", summary.stats[0], " (", summary.protocol, ")");
    return 0;
  });
}
