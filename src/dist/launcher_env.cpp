#include "dist/launcher_env.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "core/error.h"

namespace pose {
namespace {

struct LauncherVariables {
  const char* launcher;
  // nullptr: this launcher has no such variable
  const char* rank;
  const char* size;
  const char* local_rank;
  const char* local_size;
};

// The variables each launcher sets for every process it starts. Slurm's per-node task count
// (SLURM_TASKS_PER_NODE) is a compressed list for the whole job, so it is not read.
const LauncherVariables kLaunchers[] = {
    {"Open MPI", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_RANK",
     "OMPI_COMM_WORLD_LOCAL_SIZE"},
    {"Slurm", "SLURM_PROCID", "SLURM_NTASKS", "SLURM_LOCALID", nullptr},
    {"PMI", "PMI_RANK", "PMI_SIZE", "MPI_LOCALRANKID", "MPI_LOCALNRANKS"},
    {"PALS", "PALS_RANKID", nullptr, "PALS_LOCAL_RANKID", nullptr},
};

bool is_set(const EnvLookup& env, const char* name) { return name && env(name); }

// Reads one integer variable; a malformed value is recorded as a problem and left unset.
LauncherValue read_value(const EnvLookup& env, const char* name,
                         std::vector<std::string>& problems) {
  LauncherValue out;
  if (!name) return out;
  out.variable = name;
  const char* text = env(name);
  if (!text) return out;
  char* end = nullptr;
  errno = 0;
  const long value = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || errno != 0 || value < 0 || value > 1 << 30) {
    problems.push_back(cat(name, "='", text, "' is not a non-negative integer"));
    return out;
  }
  out.number = static_cast<int>(value);
  return out;
}

// True when the launcher gives a rank and its rank and size (if given) are MPI's.
bool agrees_on_world(const LauncherReport& r, int rank, int size) {
  return r.rank.number == rank && (!r.size.number || r.size.number == size);
}

// True when the launcher gives a rank or size that is not MPI's.
bool contradicts_world(const LauncherReport& r, int rank, int size) {
  return (r.rank.number && r.rank.number != rank) || (r.size.number && r.size.number != size);
}

// Appends "<VAR>=<value> but <what MPI says>: <advice>" when the launcher's value differs.
void compare(const LauncherValue& said, int mpi_value, const std::string& mpi_says,
             const char* advice, std::vector<std::string>& found) {
  if (said.number && *said.number != mpi_value)
    found.push_back(cat(said.variable, "=", *said.number, " but ", mpi_says, ": ", advice));
}

// " rank 3/8", " rank ?/8" (index unset or malformed), " rank 3", or "" when neither is known.
std::string describe_pair(const char* label, const LauncherValue& index, const LauncherValue& total) {
  if (!index.number && !total.number) return "";
  std::string text = label + (index.number ? cat(*index.number) : "?");
  if (total.number) text += cat("/", *total.number);
  return text;
}

}  // namespace

EnvLookup process_environment() {
  return [](const char* name) { return static_cast<const char*>(std::getenv(name)); };
}

std::vector<LauncherReport> read_launchers(const EnvLookup& env) {
  std::vector<LauncherReport> reports;
  for (const LauncherVariables& v : kLaunchers) {
    if (!is_set(env, v.rank) && !is_set(env, v.size) && !is_set(env, v.local_rank) &&
        !is_set(env, v.local_size))
      continue;
    LauncherReport report;
    report.launcher = v.launcher;
    report.rank = read_value(env, v.rank, report.problems);
    report.size = read_value(env, v.size, report.problems);
    report.local_rank = read_value(env, v.local_rank, report.problems);
    report.local_size = read_value(env, v.local_size, report.problems);
    reports.push_back(report);
  }
  return reports;
}

std::vector<std::string> launcher_mismatches(const std::vector<LauncherReport>& reports, int rank,
                                             int size, int local_rank, int local_size) {
  const bool some_launcher_agrees =
      std::any_of(reports.begin(), reports.end(),
                  [&](const LauncherReport& r) { return agrees_on_world(r, rank, size); });
  std::vector<std::string> found;
  for (const LauncherReport& r : reports) {
    for (const std::string& p : r.problems) found.push_back(cat(r.launcher, ": ", p));
    if (some_launcher_agrees && contradicts_world(r, rank, size)) continue;  // inherited
    compare(r.rank, rank, cat("MPI's rank is ", rank),
            "is the program started by a different launcher than the MPI library expects?", found);
    compare(r.size, size, cat("MPI's world has ", size, " rank(s)"),
            "were the ranks started as separate MPI jobs (e.g. srun without MPI support)?", found);
    compare(r.local_rank, local_rank,
            cat("MPI's shared-memory split gives local rank ", local_rank),
            "GPUs are chosen by MPI's local rank; check --ntasks-per-node and GPU binding", found);
    compare(r.local_size, local_size,
            cat("MPI's shared-memory split puts ", local_size, " rank(s) on this node"),
            "check --ntasks-per-node and how the launcher maps ranks to nodes", found);
  }
  return found;
}

std::string describe_launchers(const std::vector<LauncherReport>& reports) {
  if (reports.empty()) return "no launcher variables";
  std::string text;
  for (const LauncherReport& r : reports) {
    if (!text.empty()) text += "; ";
    text += r.launcher + describe_pair(" rank ", r.rank, r.size) +
            describe_pair(" local ", r.local_rank, r.local_size);
  }
  return text;
}

}  // namespace pose
