// pose_train: trains SimpleBaseline from a config on every rank of the MPI job (one rank per
// GPU, or CPU ranks), with checkpoints, resume and validation (train/trainer.h).
// Exit status: 0 done, 2 bad input, 4 stopped by SIGTERM/SIGUSR1 after a checkpoint.
#include "apps/program_setup.h"
#include "core/log.h"
#include "train/stop_signal.h"
#include "train/trainer.h"

int main(int argc, char** argv) {
  // Before MPI starts (which can take a while on a cluster), so a signal at any moment of the
  // set-up ends in a checkpoint and status 4, not in a kill (143) that loses a requeue.
  pose::install_stop_signal_handlers();
  return pose::run_main(argc, argv, [&](pose::Runtime& runtime) {
    const std::optional<pose::Config> config = pose::setup_config(runtime, argc, argv);
    if (!config) return 0;
    const pose::DeviceContext device = pose::open_device(runtime, *config);
    pose::log::info("ranks: ", runtime.size(), " on ", runtime.node_count(), " node(s)");
    pose::Trainer trainer(runtime, device, *config);
    return trainer.run();
  });
}
