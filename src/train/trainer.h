// Trainer: the training loop of pose_train. One per rank; every rank runs the same steps.
//
// Per step: the loader's batch goes to the device, forward, joints MSE loss, backward, the
// gradients are summed over ranks, Adam (with the loss-scale bookkeeping) updates the weights.
// Between steps the ranks agree on whether a stop signal arrived; on one, rank 0 writes a
// checkpoint and every rank exits with kExitCheckpointedOnSignal. After each epoch: a
// checkpoint every run.checkpoint_interval epochs, validation every run.val_interval epochs
// (keeping the best checkpoint by AP). Rank 0 locks the run folder first and refuses a start
// that would overwrite an earlier run (train/run_folder.h).
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "core/device_context.h"
#include "dist/runtime.h"

namespace pose {

class RunFolderLock;

class Trainer {
 public:
  Trainer(Runtime& runtime, const DeviceContext& ctx, const Config& config);
  ~Trainer();
  // Trains to the last epoch (0) or until a stop signal (kExitCheckpointedOnSignal; the program
  // installs the handlers, train/stop_signal.h).
  int run();

 private:
  struct State;
  std::unique_ptr<RunFolderLock> lock_;  // rank 0: the run folder is this job's until it ends
  std::unique_ptr<State> s_;
};

}  // namespace pose
