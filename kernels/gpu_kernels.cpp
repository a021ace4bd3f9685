#include "kernels/gpu_kernels.h"

#include "core/error.h"

namespace pose {
namespace {

GpuKernels g_kernels = GpuKernels::Simple;

}  // namespace

void set_gpu_kernels(GpuKernels kernels) { g_kernels = kernels; }
GpuKernels gpu_kernels() { return g_kernels; }

GpuKernels parse_gpu_kernels(const std::string& name) {
  if (name == "simple") return GpuKernels::Simple;
  if (name == "vectorized") return GpuKernels::Vectorized;
  if (name == "fused") return GpuKernels::Fused;
  throw UserError(cat("unknown GPU kernel set '", name, "'; accepted: simple, vectorized, fused"));
}

const char* to_string(GpuKernels kernels) {
  switch (kernels) {
    case GpuKernels::Simple: return "simple";
    case GpuKernels::Vectorized: return "vectorized";
    case GpuKernels::Fused: return "fused";
  }
  return "?";
}

}  // namespace pose
