// SIGTERM and SIGUSR1 ask a run to stop at the next step boundary after writing a checkpoint
// (Slurm sends them before a time limit or on preemption). The handler only sets a flag; the
// training loop polls it, and ranks agree on it collectively so all stop at the same step.
#pragma once

namespace pose {

// The exit status of a run that stopped on a signal after checkpointing: resume it.
constexpr int kExitCheckpointedOnSignal = 4;

// Call first thing in main, before MPI starts; also unblocks SIGTERM and SIGUSR1.
void install_stop_signal_handlers();
bool stop_requested();  // this process received SIGTERM or SIGUSR1
int stop_signal();      // the signal number, 0 when none

}  // namespace pose
