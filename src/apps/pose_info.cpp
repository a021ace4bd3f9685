// pose_info: what a launch gives every rank. Prints, on rank 0 and in rank order, each rank's
// host, local rank, the launcher's variables and the GPU it would use, so a cluster user can
// check a job's layout before training. Warnings about launcher/MPI disagreements come from
// the Runtime itself; with any of them the exit status is 2, so a job script can stop there.
#include <mpi.h>

#include <cstdio>
#include <string>

#include "core/device_context.h"
#include "core/log.h"
#include "dist/gather.h"
#include "dist/launcher_env.h"
#include "dist/mpi_check.h"
#include "dist/runtime.h"

namespace {

std::string this_rank_line(const pose::Runtime& rt) {
  char host[MPI_MAX_PROCESSOR_NAME] = {0};
  int length = 0;
  POSE_MPI_CHECK(MPI_Get_processor_name(host, &length));
  const int gpus = pose::cuda_device_count();
  std::string gpu = "cpu (no GPU visible)";
  if (gpus > 0) {
    try {
      gpu = pose::cat("GPU ", rt.choose_gpu(gpus, false), " of ", gpus);
    } catch (const pose::UserError&) {
      gpu = pose::cat("GPU ", rt.choose_gpu(gpus, true), " of ", gpus,
                      " shared (more ranks than GPUs on this node: needs --run.comm mpi)");
    }
  }
  return pose::cat("rank ", rt.rank(), "/", rt.size(), " on ", host, ": local rank ",
                   rt.local_rank(), "/", rt.local_size(), ", ", gpu, "; launcher: ",
                   pose::describe_launchers(pose::read_launchers(pose::process_environment())));
}

}  // namespace

constexpr const char* kUsage =
    "usage: pose_info [--help]   (run it under mpirun or srun, as a training would be)\n"
    "Prints what the launch gives every rank: host, local rank, the launcher's variables and\n"
    "the GPU it would use. Exit status 0, or 2 when the launcher and MPI disagree (warnings).\n";

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    std::fprintf(stderr, "pose_info: unknown option '%s'\n%s", argv[i], kUsage);
    return 2;
  }
  return pose::run_main(argc, argv, [](pose::Runtime& rt) {
    char mpi_version[MPI_MAX_LIBRARY_VERSION_STRING] = {0};
    int length = 0;
    POSE_MPI_CHECK(MPI_Get_library_version(mpi_version, &length));
    const std::string version(mpi_version, static_cast<std::size_t>(length));
    pose::log::info("pose build: CUDA backend ", POSE_WITH_CUDA ? "on" : "off", "; MPI: ",
                    version.substr(0, version.find('\n')));
    const std::string devices = pose::describe_cuda_devices();
    if (!devices.empty()) pose::log::info("GPUs visible to rank 0:\n", devices);
    pose::log::info(rt.size(), " rank(s) on ", rt.node_count(), " node(s)");
    for (const std::string& line : pose::gather_strings(rt.world(), this_rank_line(rt))) pose::log::info(line);
    // A job script can gate on the status: a launch the ranks disagree about is not trained on.
    int mismatches = rt.launcher_warnings();
    POSE_MPI_CHECK(MPI_Allreduce(MPI_IN_PLACE, &mismatches, 1, MPI_INT, MPI_SUM, rt.world()));
    if (mismatches == 0) return 0;
    pose::log::error(mismatches, " disagreement(s) between the launcher and MPI (warnings above): fix the launch "
                     "before training; exit status 2");
    return 2;
  });
}
