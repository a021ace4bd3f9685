#include "apps/program_setup.h"

#include <cstdlib>
#include <iostream>
#include <utility>
#include <sstream>

#include "core/log.h"
#include "kernels/cpu_conv.h"
#include "kernels/gpu_kernels.h"

namespace pose {

std::optional<Config> setup_config(Runtime& runtime, int argc, char** argv) {
  std::ostringstream out;
  std::string error;
  ParsedCommandLine parsed;
  try {
    parsed = parse_command_line(argc, argv, out);
  } catch (const UserError& e) {
    error = e.what();
  }
  runtime.stop_if_any_failed(error);
  if (parsed.stop) {
    if (runtime.is_root()) std::cout << out.str() << std::flush;
    return std::nullopt;
  }
  log::set_rank(runtime.rank(), runtime.size(), parsed.config.run.log_all_ranks);
  log::info("effective config",
            parsed.config.source_file.empty() ? "" : " (from " + parsed.config.source_file + ")",
            ":\n", effective_config_ini(parsed.config));
  return parsed.config;
}

namespace {

// "Slurm job 123" or "PBS job 45.server" when this process runs inside a batch job, else "".
std::string batch_job() {
  for (const auto& [variable, system] : {std::pair{"SLURM_JOB_ID", "Slurm"}, std::pair{"PBS_JOBID", "PBS"}}) {
    const char* id = std::getenv(variable);
    if (id && *id) return cat(system, " job ", id);
  }
  return "";
}

// The problem with run.device = auto falling back to the CPU, or "" when the CPU is fine.
std::string auto_cpu_problem(const Config& config) {
  const std::string why = POSE_WITH_CUDA ? "no GPU is visible (CUDA_VISIBLE_DEVICES, the job's GPU request)"
                                         : "this build has no CUDA backend";
  const std::string job = batch_job();
  if (!job.empty())
    return cat("run.device = auto inside ", job, " but ", why,
               ": request GPUs for the job, or set --run.device cpu to compute on the CPU on purpose");
  if (config.train.precision == "fp16")
    return cat("run.device = auto would compute on the CPU (", why, "), where train.precision = fp16 "
               "cannot run: make a GPU visible, or set --run.device cpu --train.precision fp32");
  return "";
}

}  // namespace

DeviceContext open_device(Runtime& runtime, const Config& config) {
  const RunSection& run = config.run;
  const int gpus = cuda_device_count();
  const bool use_gpu = run.device == "cuda" || (run.device == "auto" && gpus > 0);
  set_gpu_kernels(run.gpu_kernels == "auto" ? (use_gpu ? GpuKernels::Simple : GpuKernels::Fused)
                                            : parse_gpu_kernels(run.gpu_kernels));
  std::string error;
  if (run.device == "auto" && !use_gpu) error = auto_cpu_problem(config);
  if (!use_gpu && error.empty()) {
    try {
      set_cpu_conv(parse_cpu_conv(run.cpu_conv));
    } catch (const UserError& e) {
      error = cat("run.cpu_conv: ", e.what());
    }
  }
  int gpu = -1;
  if (use_gpu) {
    try {
      gpu = runtime.choose_gpu(gpus, run.comm == "mpi");
    } catch (const UserError& e) {
      error = e.what();
    }
  }
  runtime.stop_if_any_failed(error);
  if (!use_gpu) {
    if (run.device == "auto" && runtime.is_root())
      log::warn("run.device = auto found no GPU: computing on the CPU, which is far slower; set --run.device "
                "cpu to say that is meant");
    log::info("device: cpu on every rank (run.device = ", run.device, "); ", to_string(cpu_conv()),
              " convolutions, ", to_string(gpu_kernels()), " memory-bound ops");
    return DeviceContext::cpu();
  }
  DeviceContext ctx = DeviceContext::cuda(gpu);
  log::info("device: one GPU per rank by local rank, ", gpus, " visible per node; ",
            to_string(gpu_kernels()), " kernels");
  return ctx;
}

}  // namespace pose
