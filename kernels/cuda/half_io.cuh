// Element types of the CUDA kernels: activations are f32 or f16 (kernels are templated on the
// element type T), arithmetic is f32, and f16 is rounded to nearest even on store, as in the CPU
// reference.
#pragma once

#include <cuda_fp16.h>

#include "core/tensor.h"

namespace pose::cuda_ops {

__device__ __forceinline__ float to_float(float v) { return v; }
__device__ __forceinline__ float to_float(__half v) { return __half2float(v); }

template <typename T>
__device__ __forceinline__ T from_float(float v);
template <>
__device__ __forceinline__ float from_float<float>(float v) { return v; }
template <>
__device__ __forceinline__ __half from_float<__half>(float v) { return __float2half_rn(v); }

// Calls fn(float{}) or fn(__half{}) for an f32 or f16 tensor, so a generic lambda can name T
// as decltype of its argument.
template <typename Fn>
void with_element_type(DType dtype, Fn&& fn) {
  if (dtype == DType::F32)
    fn(float{});
  else
    fn(__half{});
}

}  // namespace pose::cuda_ops
