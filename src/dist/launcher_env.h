// What the process launcher says about this process, read from its environment variables, and
// a cross-check against MPI's own answers. A disagreement usually means a mis-configured launch
// (e.g. Slurm tasks bound differently from what MPI sees), which would put two ranks on one GPU.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pose {

// Looks up an environment variable; nullptr when unset. Tests pass fake environments.
using EnvLookup = std::function<const char*(const char*)>;
EnvLookup process_environment();

// One launcher variable: its name, and its value when it is set to a valid number.
struct LauncherValue {
  std::string variable;  // empty: this launcher has no such variable
  std::optional<int> number;
};

struct LauncherReport {
  std::string launcher;  // "Open MPI", "Slurm", "PMI", "PALS"
  LauncherValue rank;
  LauncherValue size;
  LauncherValue local_rank;
  LauncherValue local_size;
  std::vector<std::string> problems;  // malformed values, e.g. "SLURM_LOCALID='x' is not ..."
};

// One report per launcher whose variables are present (none when run without a launcher).
std::vector<LauncherReport> read_launchers(const EnvLookup& env);

// Every way the launchers disagree with MPI (rank, size, local rank, local size), in words
// that say what to check, plus each launcher's malformed values. Empty when all agree.
// A launcher that disagrees on rank or size while another launcher agrees on both is skipped:
// its variables were inherited from an enclosing job (mpirun inside an sbatch allocation) and
// say nothing about this process.
std::vector<std::string> launcher_mismatches(const std::vector<LauncherReport>& reports, int rank,
                                             int size, int local_rank, int local_size);

// "Slurm rank 3/8 local 1; Open MPI rank 3/8 local 1/4", or "no launcher variables".
std::string describe_launchers(const std::vector<LauncherReport>& reports);

}  // namespace pose
