// pose_train: trains SimpleBaseline from a config. Today it sets up the run (config, ranks,
// devices) and says that the network and training loop are not built yet.
#include "apps/program_setup.h"
#include "core/log.h"

int main(int argc, char** argv) {
  return pose::run_main(argc, argv, [&](pose::Runtime& runtime) {
    const std::optional<pose::Config> config = pose::setup_config(runtime, argc, argv);
    if (!config) return 0;
    const pose::DeviceContext device = pose::open_device(runtime, config->run);
    pose::log::info("ranks: ", runtime.size(), " on ", runtime.node_count(), " node(s)");
    pose::log::info("NOT IMPLEMENTED: the network, optimizer and training loop are not built yet "
                    "(the data pipeline is: pose_synth, pose_prepare, the loader); nothing was "
                    "trained. Exit status ",
                    pose::kExitNotImplemented, ".");
    return pose::kExitNotImplemented;
  });
}
