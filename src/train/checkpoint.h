// Checkpoints: one HDF5 file per save, written by rank 0 through a temporary name and an atomic
// rename (model/weight_file.h), so an interrupted write leaves the previous file intact.
//
// A checkpoint is a weight file (docs/data_format.md; any program that takes weights reads it)
// plus: groups /adam_m and /adam_v (Adam's moments, named and laid out like /params), the
// dataset /step_state (loss scale, overflow flag, Adam step, clean steps), /progress (epoch,
// step within it, global step, best epoch, global batch) and /best_ap, and the attributes `checkpoint_version`
// and `config` (the effective config). Augmentation and shuffling are pure functions of
// (seed, epoch, record, step), so epoch and step are the whole sampler and RNG state.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "model/pose_resnet.h"

namespace pose {

struct TrainProgress {
  std::int64_t epoch = 0;        // 0-based epoch in progress
  std::int64_t step = 0;         // steps of that epoch already taken
  std::int64_t global_step = 0;  // steps taken in all
  double best_ap = -1;           // best validation AP so far (-1: none yet)
  std::int64_t best_epoch = -1;  // 1-based epoch that reached it
  std::int64_t global_batch = 0; // ranks x batch per rank: what a step means
};

// The optimiser's state on the host: Adam's moments (flat, the parameter store's layout) and
// the device step state (kernels/train_op_signatures.h).
struct OptimizerState {
  std::vector<float> m, v;
  std::array<float, 4> step_state{};
};

void write_checkpoint(const std::string& path, const PoseResNet& net, const OptimizerState& optimizer,
                      const TrainProgress& progress, const std::string& config_ini);

struct LoadedCheckpoint {
  OptimizerState optimizer;
  TrainProgress progress;
  std::string config_ini;
};

// Loads the weights into `net` and returns the rest. UserError naming the file when it is not
// a checkpoint of this network.
LoadedCheckpoint read_checkpoint(const std::string& path, const PoseResNet& net);

// The run folder's checkpoint files.
std::string latest_checkpoint_path(const std::string& run_dir);
std::string best_checkpoint_path(const std::string& run_dir);

}  // namespace pose
