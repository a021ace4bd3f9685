#include "core/cuda/checks.h"

#include "core/error.h"

namespace pose {
namespace {
[[noreturn]] void fail(const char* library, const char* call, const char* file, int line,
                       const char* name, const char* text) {
  throw Error(cat(source_location(file, line), ": ", library, " call failed: ", call, ": ", name,
                  " (", text, ")"));
}
}  // namespace

void check_cuda(cudaError_t status, const char* call, const char* file, int line) {
  if (status == cudaSuccess) return;
  cudaGetLastError();  // clear a non-sticky error so the next check reports its own
  fail("CUDA", call, file, line, cudaGetErrorName(status), cudaGetErrorString(status));
}

void check_cudnn(cudnnStatus_t status, const char* call, const char* file, int line) {
  if (status == CUDNN_STATUS_SUCCESS) return;
  char detail[512] = {0};
  cudnnGetLastErrorString(detail, sizeof detail);
  fail("cuDNN", call, file, line, cudnnGetErrorString(status), detail[0] ? detail : "no detail");
}

void check_nccl(ncclResult_t status, const char* call, const char* file, int line) {
  if (status == ncclSuccess) return;
  fail("NCCL", call, file, line, ncclGetErrorString(status), ncclGetLastError(nullptr));
}

}  // namespace pose
