#include "apps/program_setup.h"

#include <iostream>
#include <sstream>

#include "core/log.h"
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

DeviceContext open_device(Runtime& runtime, const RunSection& run) {
  set_gpu_kernels(parse_gpu_kernels(run.gpu_kernels));
  const int gpus = cuda_device_count();
  const bool use_gpu = run.device == "cuda" || (run.device == "auto" && gpus > 0);
  std::string error;
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
    log::info("device: cpu on every rank (run.device = ", run.device, ")");
    return DeviceContext::cpu();
  }
  DeviceContext ctx = DeviceContext::cuda(gpu);
  log::info("device: one GPU per rank by local rank, ", gpus, " visible per node; ",
            run.gpu_kernels, " kernels");
  return ctx;
}

}  // namespace pose
