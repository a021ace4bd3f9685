// Checked calls into the CUDA runtime, cuDNN and NCCL. A failure throws pose::Error
// with file:line, the call as written and the library's own name and text for the status.
// Include only from translation units built with the CUDA backend.
#pragma once

#include <cuda_runtime_api.h>
#include <cudnn.h>
#include <nccl.h>

namespace pose {

void check_cuda(cudaError_t status, const char* call, const char* file, int line);
void check_cudnn(cudnnStatus_t status, const char* call, const char* file, int line);
void check_nccl(ncclResult_t status, const char* call, const char* file, int line);

}  // namespace pose

#define POSE_CUDA_CHECK(call) ::pose::check_cuda((call), #call, __FILE__, __LINE__)
#define POSE_CUDNN_CHECK(call) ::pose::check_cudnn((call), #call, __FILE__, __LINE__)
#define POSE_NCCL_CHECK(call) ::pose::check_nccl((call), #call, __FILE__, __LINE__)
// After a kernel launch: reports bad launch configurations at the launch site.
#define POSE_CUDA_CHECK_LAUNCH() POSE_CUDA_CHECK(cudaGetLastError())
