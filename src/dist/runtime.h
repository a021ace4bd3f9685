// Runtime: the MPI side of a process. One per process, made by run_main before anything else.
//
// Ranks and local ranks come from MPI (the local communicator is MPI_COMM_TYPE_SHARED, i.e.
// the ranks on this node), cross-checked with the launcher's variables. A rank's GPU is its
// local rank.
//
// Stopping: errors that every rank may meet go through the collective stop_if_any_failed
// (all ranks exit together with one message); anything else on one rank ends in abort_all,
// which stops every rank even if others wait in a collective. No rank is left hanging.
#pragma once

#include <mpi.h>

#include <functional>
#include <string>

namespace pose {

// Thrown on every rank by stop_if_any_failed; run_main turns it into the exit status.
struct StopRun {
  int exit_code;
};

// The GPU a rank uses: its local rank. Throws UserError when the node has no GPU, or more ranks
// than GPUs and sharing is not allowed; with sharing, ranks take GPUs round-robin. With
// one_gpu_per_task (the launcher gave each rank a GPU of its own, Slurm's --gpus-per-task=1),
// a rank that sees exactly one GPU uses it.
int gpu_for_local_rank(int local_rank, int local_size, int device_count, bool allow_shared,
                       bool one_gpu_per_task = false);

class Runtime {
 public:
  Runtime(int& argc, char**& argv);
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;
  ~Runtime();

  int rank() const { return rank_; }
  int size() const { return size_; }
  int local_rank() const { return local_rank_; }
  int local_size() const { return local_size_; }
  int node_count() const { return node_count_; }
  // Disagreements between the launcher's variables and MPI that this rank warned about.
  int launcher_warnings() const { return launcher_warnings_; }
  bool is_root() const { return rank_ == 0; }
  MPI_Comm world() const { return MPI_COMM_WORLD; }
  MPI_Comm local() const { return local_; }

  // gpu_for_local_rank for this rank, with the node's local size; one GPU per task when
  // Slurm says so (SLURM_GPUS_PER_TASK=1).
  int choose_gpu(int device_count, bool allow_shared) const;

  // Collective. Each rank passes "" when fine, else its error text. If any rank failed, rank 0
  // prints each distinct message once with the ranks that reported it, and every rank throws
  // StopRun{exit_code}.
  void stop_if_any_failed(const std::string& local_error, int exit_code = 2);

  // Not collective. Prints the message tagged with this rank and stops every rank.
  [[noreturn]] void abort_all(const std::string& message, int exit_code = 1);

 private:
  int rank_ = 0;
  int size_ = 1;
  int local_rank_ = 0;
  int local_size_ = 1;
  int node_count_ = 1;
  int launcher_warnings_ = 0;
  MPI_Comm local_ = MPI_COMM_NULL;
};

// A program's main: makes the Runtime, runs body, and maps failures to exit statuses:
// StopRun -> its code; UserError -> its message, status 2; any other exception -> "internal
// error: ...", status 1. With more than one rank, a failure that is not a StopRun aborts every
// rank (the others may be waiting for this one).
int run_main(int argc, char** argv, const std::function<int(Runtime&)>& body);

}  // namespace pose
