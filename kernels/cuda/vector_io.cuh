// 16-byte vectors of activations for the vectorized kernels (kernels/gpu_kernels.h): one uint4
// load or store (LDG.E.128 / STG.E.128) moves kLanes<T> elements, 8 halves or 4 floats. Values
// are widened to float lane by lane, so arithmetic and rounding match the scalar kernels.
#pragma once

#include <cstdint>

#include "kernels/cuda/half_io.cuh"

namespace pose::cuda_ops {

template <typename T>
constexpr int kLanes = static_cast<int>(sizeof(uint4) / sizeof(T));

template <typename T>
struct Vec {
  float v[kLanes<T>];
};

template <typename T>
__device__ __forceinline__ Vec<T> load_vec(const T* base, std::int64_t vector_index) {
  // A plain load, not __ldg: outputs may alias inputs (in-place ReLU), which the read-only
  // cache does not allow.
  const uint4 raw = reinterpret_cast<const uint4*>(base)[vector_index];
  const T* e = reinterpret_cast<const T*>(&raw);
  Vec<T> out;
#pragma unroll
  for (int i = 0; i < kLanes<T>; ++i) out.v[i] = to_float(e[i]);
  return out;
}

template <typename T>
__device__ __forceinline__ void store_vec(T* base, std::int64_t vector_index, const Vec<T>& in) {
  uint4 raw;
  T* e = reinterpret_cast<T*>(&raw);
#pragma unroll
  for (int i = 0; i < kLanes<T>; ++i) e[i] = from_float<T>(in.v[i]);
  reinterpret_cast<uint4*>(base)[vector_index] = raw;
}

// Whether every pointer is 16-byte aligned, so the tensor can be read as whole vectors.
template <typename... Ptrs>
inline bool vector_aligned(const Ptrs*... ptrs) {
  return ((reinterpret_cast<std::uintptr_t>(ptrs) % sizeof(uint4) == 0) && ...);
}

}  // namespace pose::cuda_ops
