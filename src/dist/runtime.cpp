#include "dist/runtime.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/log.h"
#include "dist/gather.h"
#include "dist/launcher_env.h"
#include "dist/mpi_check.h"

namespace pose {
namespace {

// "0-3,5" for a sorted list of ranks.
std::string rank_ranges(const std::vector<int>& ranks) {
  std::string text;
  for (std::size_t i = 0; i < ranks.size();) {
    std::size_t j = i;
    while (j + 1 < ranks.size() && ranks[j + 1] == ranks[j] + 1) ++j;
    if (!text.empty()) text += ",";
    text += j == i ? cat(ranks[i]) : cat(ranks[i], "-", ranks[j]);
    i = j + 1;
  }
  return text;
}

// A rank that fails while the Runtime starts has no Runtime to call abort_all on; if MPI is up,
// the other ranks may be waiting for it in the constructor's collectives, so stop them all.
void abort_if_mpi_running(int exit_code) {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (initialized && !finalized) MPI_Abort(MPI_COMM_WORLD, exit_code);
}

}  // namespace

int gpu_for_local_rank(int local_rank, int local_size, int device_count, bool allow_shared,
                       bool one_gpu_per_task) {
  if (device_count <= 0)
    throw UserError("no GPU is visible to this process: check CUDA_VISIBLE_DEVICES and the job's "
                    "GPU request, or run on the CPU with --run.device cpu");
  if (device_count == 1 && one_gpu_per_task) return 0;
  if (local_size > device_count && !allow_shared)
    throw UserError(cat("this node runs ", local_size, " ranks but has ", device_count,
                        " GPU(s): launch at most one rank per GPU, or let ranks share GPUs with "
                        "the host-staged gradient path --run.comm mpi"));
  return local_rank % device_count;
}

Runtime::Runtime(int& argc, char**& argv) {
  int provided = 0;
  POSE_MPI_CHECK(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided));
  POSE_MPI_CHECK(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN));
  if (provided < MPI_THREAD_FUNNELED)
    throw Error(cat("the MPI library gives thread level ", provided, ", below MPI_THREAD_FUNNELED: "
                    "this process runs loader threads (only the main thread calls MPI)"));
  POSE_MPI_CHECK(MPI_Comm_rank(MPI_COMM_WORLD, &rank_));
  POSE_MPI_CHECK(MPI_Comm_size(MPI_COMM_WORLD, &size_));
  log::set_rank(rank_, size_, false);

  POSE_MPI_CHECK(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &local_));
  POSE_MPI_CHECK(MPI_Comm_rank(local_, &local_rank_));
  POSE_MPI_CHECK(MPI_Comm_size(local_, &local_size_));
  const int leads_a_node = local_rank_ == 0 ? 1 : 0;
  POSE_MPI_CHECK(MPI_Allreduce(&leads_a_node, &node_count_, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD));

  for (const std::string& mismatch : launcher_mismatches(read_launchers(process_environment()),
                                                         rank_, size_, local_rank_, local_size_)) {
    log::warn(mismatch);
    ++launcher_warnings_;
  }
}

Runtime::~Runtime() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized) return;
  if (local_ != MPI_COMM_NULL) MPI_Comm_free(&local_);
  MPI_Finalize();
}

int Runtime::choose_gpu(int device_count, bool allow_shared) const {
  const char* per_task = std::getenv("SLURM_GPUS_PER_TASK");
  const bool one_gpu_per_task = per_task && std::string(per_task) == "1";
  return gpu_for_local_rank(local_rank_, local_size_, device_count, allow_shared, one_gpu_per_task);
}

void Runtime::stop_if_any_failed(const std::string& local_error, int exit_code) {
  const int failed = local_error.empty() ? 0 : 1;
  int any_failed = 0;
  POSE_MPI_CHECK(MPI_Allreduce(&failed, &any_failed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD));
  if (!any_failed) return;

  const std::vector<std::string> messages = gather_strings(MPI_COMM_WORLD, local_error);
  if (rank_ == 0) {
    std::map<std::string, std::vector<int>> ranks_by_message;
    for (int r = 0; r < size_; ++r) {
      const std::string& message = messages[static_cast<std::size_t>(r)];
      if (!message.empty()) ranks_by_message[message].push_back(r);
    }
    for (const auto& [message, ranks] : ranks_by_message) {
      if (size_ == 1)
        log::error(message);
      else
        log::error(ranks.size() == 1 ? "rank " : "ranks ", rank_ranges(ranks), ": ", message);
    }
  }
  throw StopRun{exit_code};
}

void Runtime::abort_all(const std::string& message, int exit_code) {
  std::fprintf(stderr, "FATAL (rank %d of %d): %s\n", rank_, size_, message.c_str());
  std::fflush(stderr);
  std::fflush(stdout);
  MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::_Exit(exit_code);  // MPI_Abort does not return; this satisfies [[noreturn]]
}

int run_main(int argc, char** argv, const std::function<int(Runtime&)>& body) {
  std::unique_ptr<Runtime> runtime;
  try {
    runtime = std::make_unique<Runtime>(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: cannot start MPI: %s\n", e.what());
    std::fflush(stderr);
    abort_if_mpi_running(1);
    return 1;
  }
  int status = 0;
  std::string failure;
  try {
    status = body(*runtime);
  } catch (const StopRun& stop) {
    status = stop.exit_code;
  } catch (const UserError& e) {
    status = 2;
    failure = e.what();
  } catch (const std::exception& e) {
    status = 1;
    failure = cat("internal error: ", e.what());
  } catch (...) {
    status = 1;
    failure = "internal error: an exception that is not a std::exception";
  }
  if (!failure.empty()) {
    if (runtime->size() > 1) runtime->abort_all(failure, status);
    std::fprintf(stderr, "%s\n", failure.c_str());
  }
  return status;
}

}  // namespace pose
