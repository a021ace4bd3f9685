#include "dist/launcher_env.h"

#include <cerrno>
#include <cstdlib>

#include "core/error.h"

namespace pose {
namespace {

struct LauncherVariables {
  const char* launcher;
  const char* rank;
  const char* size;
  const char* local_rank;  // nullptr: this launcher has none
};

// The variables each launcher sets for every process it starts.
const LauncherVariables kLaunchers[] = {
    {"Open MPI", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_RANK"},
    {"Slurm", "SLURM_PROCID", "SLURM_NTASKS", "SLURM_LOCALID"},
    {"PMI", "PMI_RANK", "PMI_SIZE", "MPI_LOCALRANKID"},
    {"PALS", "PALS_RANKID", nullptr, "PALS_LOCAL_RANKID"},
};

// Reads one integer variable into `out`; a malformed value is recorded as a problem.
void read_int(const EnvLookup& env, const char* name, std::optional<int>& out,
              std::vector<std::string>& problems) {
  if (!name) return;
  const char* text = env(name);
  if (!text) return;
  char* end = nullptr;
  errno = 0;
  const long value = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || errno != 0 || value < 0 || value > 1 << 30) {
    problems.push_back(cat(name, "='", text, "' is not a non-negative integer"));
    return;
  }
  out = static_cast<int>(value);
}

}  // namespace

EnvLookup process_environment() {
  return [](const char* name) { return static_cast<const char*>(std::getenv(name)); };
}

std::vector<LauncherReport> read_launchers(const EnvLookup& env) {
  std::vector<LauncherReport> reports;
  for (const LauncherVariables& v : kLaunchers) {
    const bool present = env(v.rank) || (v.size && env(v.size)) || (v.local_rank && env(v.local_rank));
    if (!present) continue;
    LauncherReport report;
    report.launcher = v.launcher;
    read_int(env, v.rank, report.rank, report.problems);
    read_int(env, v.size, report.size, report.problems);
    read_int(env, v.local_rank, report.local_rank, report.problems);
    reports.push_back(report);
  }
  return reports;
}

std::vector<std::string> launcher_mismatches(const std::vector<LauncherReport>& reports, int rank,
                                             int size, int local_rank) {
  std::vector<std::string> found;
  for (const LauncherReport& r : reports) {
    for (const std::string& p : r.problems) found.push_back(cat(r.launcher, ": ", p));
    if (r.rank && *r.rank != rank)
      found.push_back(cat(r.launcher, " says rank ", *r.rank, " but MPI says ", rank,
                          ": is the program started by a different launcher than the MPI library expects?"));
    if (r.size && *r.size != size)
      found.push_back(cat(r.launcher, " says ", *r.size, " processes but MPI's world has ", size,
                          ": were the ranks started as separate MPI jobs (e.g. srun without MPI support)?"));
    if (r.local_rank && *r.local_rank != local_rank)
      found.push_back(cat(r.launcher, " says local rank ", *r.local_rank,
                          " but MPI's shared-memory split gives ", local_rank,
                          ": GPUs are chosen by MPI's local rank; check --ntasks-per-node and GPU binding"));
  }
  return found;
}

std::string describe_launchers(const std::vector<LauncherReport>& reports) {
  if (reports.empty()) return "no launcher variables";
  std::string text;
  for (const LauncherReport& r : reports) {
    if (!text.empty()) text += "; ";
    text += r.launcher;
    if (r.rank) text += cat(" rank ", *r.rank);
    if (r.size) text += cat("/", *r.size);
    if (r.local_rank) text += cat(" local ", *r.local_rank);
  }
  return text;
}

}  // namespace pose
