// What every program does at start: read the config on every rank (stopping all ranks
// together on a bad one), print the effective config on rank 0, and open the device each rank
// computes on.
#pragma once

#include <optional>

#include "config/config.h"
#include "core/device_context.h"
#include "dist/runtime.h"

namespace pose {

// Exit status of a program asked for a capability that is not built yet.
constexpr int kExitNotImplemented = 3;

// The parsed config, or nothing when --help / --print-config already answered (exit 0).
// A bad config stops every rank with status 2 (Runtime::stop_if_any_failed).
std::optional<Config> setup_config(Runtime& runtime, int argc, char** argv);

// The device of run.device (auto: a GPU when one is visible). On a GPU, the rank's GPU is its
// local rank (several ranks may share one only with run.comm = mpi). Problems on any rank stop
// every rank. When auto finds no GPU it says so loudly, and stops instead where the CPU is
// surely not what was meant: train.precision = fp16 (refused on the CPU as with run.device =
// cpu), or inside a Slurm or PBS job (which was given GPUs it cannot see, or none).
DeviceContext open_device(Runtime& runtime, const Config& config);

}  // namespace pose
