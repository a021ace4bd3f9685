// Which CUDA kernels run the memory-bound ops (ReLU, add, scale, casts, batch norm), chosen at
// run time so that one GPU run can verify and time each against the others:
//   simple      one element per thread and iteration: the first, plainest kernels
//   vectorized  16-byte loads and stores (8 halves or 4 floats), two vectors in flight per thread
//   fused       vectorized, and the network calls the fused ops (add + ReLU of residual blocks)
// Results are bit-identical between the variants for elementwise ops; batch-norm reductions sum
// in another (still fixed) order, within the CPU-parity tolerance. The CPU backend has one
// implementation of each op and ignores the choice, except that `fused` also makes the network
// call the fused ops there (their CPU twins compute exactly what the unfused sequence does, in
// fewer passes over the activations), which is why run.gpu_kernels = auto means fused on the CPU.
#pragma once

#include <string>

namespace pose {

enum class GpuKernels { Simple, Vectorized, Fused };

void set_gpu_kernels(GpuKernels kernels);
GpuKernels gpu_kernels();

// "simple" | "vectorized" | "fused"; a UserError names the accepted values otherwise.
GpuKernels parse_gpu_kernels(const std::string& name);
const char* to_string(GpuKernels kernels);

}  // namespace pose
