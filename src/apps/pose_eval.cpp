// pose_eval: evaluates a model on the validation shards of a config, on every rank of the MPI
// job (infer/evaluator.h), and prints the COCO keypoint table with the protocol used.
// The model is test.model_file, or else the run's best checkpoint, or else its latest; the
// box source, flip test, batch size and results folder are test.use_gt_bbox, test.flip_test,
// test.batch_size and test.results_dir, also reachable through the short flags of kAliases.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <new>
#include <vector>

#include "apps/program_setup.h"
#include "core/cli_values.h"
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
    {"--flip", "--test.flip_test",
     {{"on", "true"}, {"off", "false"}, {"yes", "true"}, {"no", "false"}, {"true", "true"}, {"false", "false"},
      {"1", "true"}, {"0", "false"}},
     "on|off (or yes/no, true/false, 1/0, as in a config)   flip test"},
    {"--batch", "--test.batch_size", {}, "N   samples per inference step on each rank"},
    {"--out", "--test.results_dir", {}, "DIR   folder for the results file"},
};

// argv with the short flags replaced by the config flags they stand for (--flag=value too).
// A bad value is reported with the short flag the user typed.
std::vector<std::string> expand_aliases(int argc, char** argv) {
  const std::vector<std::string> args = pose::cli::split_assignments(argc, argv);
  std::vector<std::string> out{argv[0]};
  for (std::size_t i = 0; i < args.size(); ++i) {
    const Alias* alias = nullptr;
    for (const Alias& a : kAliases)
      if (args[i] == a.flag) alias = &a;
    if (!alias || i + 1 >= args.size()) {
      out.push_back(args[i]);
      continue;
    }
    std::string value = args[++i];
    if (std::strcmp(alias->flag, "--batch") == 0) pose::cli::whole_number(alias->flag, value, 1, 65536);
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

// Made before any inference, so a results folder that cannot be created costs no time.
void make_results_folder(const std::string& out_dir) {
  std::error_code error;
  std::filesystem::create_directories(out_dir, error);
  if (error)
    throw pose::UserError(pose::cat("cannot create the results folder '", out_dir, "' (--out, test.results_dir): ",
                                    error.message(), "; choose a folder you can write to"));
}

std::string too_big_message(const pose::Config& c, const std::string& what) {
  return pose::cat(what, " while setting up evaluation at test.batch_size ", c.test.batch_size, " (--batch) with ",
                   c.data.image_width, "x", c.data.image_height,
                   " inputs (data.image_width x data.image_height): lower them, or use more ranks");
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
    const pose::DeviceContext device = pose::open_device(runtime, *config);
    const std::string out_dir = config->test.results_dir.empty()
                                    ? config->run.output_dir + "/" + config->run.name + "/results"
                                    : config->test.results_dir;
    std::string path;
    std::unique_ptr<pose::PoseResNet> net;
    std::unique_ptr<pose::Evaluator> evaluator;
    try {
      if (runtime.is_root()) make_results_folder(out_dir);
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
    } catch (const pose::OutOfMemory& e) {
      problem = too_big_message(*config, e.what());
    } catch (const std::bad_alloc&) {
      problem = too_big_message(*config, "out of host memory");
    }
    runtime.stop_if_any_failed(problem);
    pose::log::info("model: '", path, "' (", net->spec().str(), ")");
    const pose::EvalSummary summary = evaluator->evaluate(*net, out_dir);
    if (summary.scored)
      pose::log::info("AP ", summary.stats[0], " (", summary.protocol, ")");
    return 0;
  });
}
