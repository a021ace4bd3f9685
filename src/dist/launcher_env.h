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

struct LauncherReport {
  std::string launcher;  // "Open MPI", "Slurm", "PMI", "PALS"
  std::optional<int> rank;
  std::optional<int> size;
  std::optional<int> local_rank;
  std::vector<std::string> problems;  // malformed values, e.g. "SLURM_LOCALID='x' is not a number"
};

// One report per launcher whose variables are present (none when run without a launcher).
std::vector<LauncherReport> read_launchers(const EnvLookup& env);

// Every way the launchers disagree with MPI (rank, size, local rank), in words that say what
// to check; plus each launcher's malformed values. Empty when all agree.
std::vector<std::string> launcher_mismatches(const std::vector<LauncherReport>& reports, int rank,
                                             int size, int local_rank);

// "Slurm rank 3/8 local 1; Open MPI rank 3/8 local 1", or "no launcher variables".
std::string describe_launchers(const std::vector<LauncherReport>& reports);

}  // namespace pose
