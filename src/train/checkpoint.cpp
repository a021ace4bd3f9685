#include "train/checkpoint.h"

#include <hdf5.h>

#include "core/error.h"
#include "io/hdf5_file.h"
#include "model/weights.h"

namespace pose {
namespace {

constexpr std::int64_t kCheckpointVersion = 1;

}  // namespace

std::string latest_checkpoint_path(const std::string& run_dir) { return run_dir + "/checkpoint_latest.h5"; }
std::string best_checkpoint_path(const std::string& run_dir) { return run_dir + "/checkpoint_best.h5"; }

void write_checkpoint(const std::string& path, const PoseResNet& net, const OptimizerState& optimizer,
                      const TrainProgress& progress, const std::string& config_ini) {
  const WeightFile weights = export_weights(net, cat("pose_train checkpoint, ", net.spec().str()));
  write_weight_file(path, weights, [&](const h5::Handle& file) {
    h5::write_attribute(file, "checkpoint_version", kCheckpointVersion);
    h5::write_attribute(file, "config", config_ini);
    write_weight_group(file, "adam_m", to_named_tensors(net.params(), optimizer.m));
    write_weight_group(file, "adam_v", to_named_tensors(net.params(), optimizer.v));
    h5::write_dataset<float>(file, "step_state", {4}, optimizer.step_state.data());
    const std::int64_t numbers[5] = {progress.epoch, progress.step, progress.global_step, progress.best_epoch,
                                     progress.global_batch};
    h5::write_dataset<std::int64_t>(file, "progress", {5}, numbers);
    h5::write_dataset<double>(file, "best_ap", {1}, &progress.best_ap);
  });
}

LoadedCheckpoint read_checkpoint(const std::string& path, const PoseResNet& net) {
  LoadedCheckpoint out;
  try {
    load_weights(net, read_weight_file(path), LoadMode::Whole);
    const h5::Handle file = h5::open_file(path);
    if (H5Aexists(file.get(), "checkpoint_version") <= 0)
      throw UserError("it holds weights but no training state (not a pose_train checkpoint)");
    const std::int64_t version = h5::read_int_attribute(file, "checkpoint_version");
    if (version != kCheckpointVersion)
      throw UserError(cat("checkpoint version ", version, " is not ", kCheckpointVersion));
    out.config_ini = h5::read_string_attribute(file, "config");
    out.optimizer.m = from_named_tensors(net.params(), read_weight_group(path, "adam_m"), "adam_m");
    out.optimizer.v = from_named_tensors(net.params(), read_weight_group(path, "adam_v"), "adam_v");
    std::vector<hsize_t> dims;
    const std::vector<float> state = h5::read_dataset<float>(file, "step_state", dims);
    POSE_CHECK(state.size() == 4, "step_state has ", state.size(), " values, expected 4");
    std::copy(state.begin(), state.end(), out.optimizer.step_state.begin());
    const std::vector<std::int64_t> p = h5::read_dataset<std::int64_t>(file, "progress", dims);
    POSE_CHECK(p.size() == 5, "progress has ", p.size(), " values, expected 5");
    out.progress = TrainProgress{p[0], p[1], p[2], h5::read_dataset<double>(file, "best_ap", dims).at(0), p[3], p[4]};
  } catch (const Error& e) {
    throw UserError(cat("checkpoint '", path, "': ", e.what()));
  }
  return out;
}

}  // namespace pose
