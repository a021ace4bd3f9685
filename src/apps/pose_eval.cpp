// pose_eval: evaluates a model on the validation shards of a config, on every rank of the MPI
// job (infer/evaluator.h), and prints the COCO keypoint table with the protocol used.
// The model is test.model_file, or else the run's best checkpoint, or else its latest; the
// box source, flip test, batch size and results folder are test.use_gt_bbox, test.flip_test,
// test.batch_size and test.results_dir, also reachable through the short flags of kAliases.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <vector>

#include "apps/program_setup.h"
#include "core/error.h"
#include "core/log.h"
#include "infer/evaluator.h"
#include "model/model_config.h"
#include "model/weights.h"
#include "train/checkpoint.h"

namespace {

// Short flags of this program and the config keys they set; `values` maps a word to the key's
// value ("" passes the value through).
struct Alias {
  const char* flag;
  const char* key;
  std::vector<std::pair<const char*, const char*>> values;
  const char* help;
};

const std::vector<Alias> kAliases = {
    {"--model", "--test.model_file", {}, "FILE|untrained   weights or checkpoint to evaluate"},
    {"--boxes", "--test.use_gt_bbox", {{"gt", "true"}, {"detector", "false"}},
     "gt|detector   box source (the validation shards must hold that kind)"},
    {"--flip", "--test.flip_test", {{"on", "true"}, {"off", "false"}}, "on|off   flip test"},
    {"--batch", "--test.batch_size", {}, "N   samples per inference step on each rank"},
    {"--out", "--test.results_dir", {}, "DIR   folder for the results file"},
};

// argv with the short flags replaced by the config flags they stand for.
std::vector<std::string> expand_aliases(int argc, char** argv) {
  std::vector<std::string> out{argv[0]};
  for (int i = 1; i < argc; ++i) {
    const Alias* alias = nullptr;
    for (const Alias& a : kAliases)
      if (std::strcmp(argv[i], a.flag) == 0) alias = &a;
    if (!alias || i + 1 >= argc) {
      out.emplace_back(argv[i]);
      continue;
    }
    std::string value = argv[++i];
    if (!alias->values.empty()) {
      std::string mapped;
      for (const auto& [word, key_value] : alias->values)
        if (value == word) mapped = key_value;
      if (mapped.empty()) throw pose::UserError(pose::cat(alias->flag, " ", value, ": expected ", alias->help));
      value = mapped;
    }
    out.push_back(alias->key);
    out.push_back(value);
  }
  return out;
}

void print_aliases() {
  std::cout << "\nShort flags of pose_eval:\n";
  for (const Alias& a : kAliases) std::cout << "  " << a.flag << " " << a.help << " (" << a.key << ")\n";
}

constexpr const char* kUntrained = "untrained";

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
    std::vector<std::string> args;
    std::string problem;
    try {
      args = expand_aliases(argc, argv);
    } catch (const pose::UserError& e) {
      problem = e.what();
    }
    runtime.stop_if_any_failed(problem);
    std::vector<char*> expanded;
    for (std::string& a : args) expanded.push_back(a.data());
    const std::optional<pose::Config> config =
        pose::setup_config(runtime, static_cast<int>(expanded.size()), expanded.data());
    if (!config) {
      if (runtime.is_root() && std::find(args.begin(), args.end(), "--help") != args.end()) print_aliases();
      return 0;
    }
    const pose::DeviceContext device = pose::open_device(runtime, config->run);
    std::string path;
    std::unique_ptr<pose::PoseResNet> net;
    std::unique_ptr<pose::Evaluator> evaluator;
    try {
      path = model_file(*config);
      net = std::make_unique<pose::PoseResNet>(pose::spec_from_config(*config), device, 1, /*trainable=*/false);
      if (path == kUntrained) {
        // The same draw as the start of training (run.seed), without model.pretrained.
        pose::init_weights(*net, static_cast<std::uint64_t>(config->run.seed));
      } else {
        try {
          pose::load_weights(*net, pose::read_weight_file(path), pose::LoadMode::Whole);
        } catch (const pose::UserError& e) {
          throw pose::UserError(pose::cat("model '", path, "': ", e.what()));
        }
      }
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
