// CPU reference of the elementwise ops. f16 tensors hold raw binary16 bits; values are
// widened to f32, computed, and rounded to nearest even on store, exactly as the CUDA kernels do.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "core/half.h"
#include "kernels/op_signatures.h"

namespace pose::cpu_ops {
namespace {

// Calls fn(i, load, store) style lambdas through a typed accessor for each dtype.
struct F32 {
  static float load(const void* p, std::int64_t i) { return static_cast<const float*>(p)[i]; }
  static void store(void* p, std::int64_t i, float v) { static_cast<float*>(p)[i] = v; }
};
struct F16 {
  static float load(const void* p, std::int64_t i) {
    return half_bits_to_float(static_cast<const std::uint16_t*>(p)[i]);
  }
  static void store(void* p, std::int64_t i, float v) {
    static_cast<std::uint16_t*>(p)[i] = float_to_half_bits(v);
  }
};

template <typename Fn>
void with_dtype(DType dtype, Fn&& fn) {
  if (dtype == DType::F32)
    fn(F32{});
  else
    fn(F16{});
}

}  // namespace

void fill(const DeviceContext&, const TensorView& out, float value) {
  with_dtype(out.dtype, [&](auto T) {
    for (std::int64_t i = 0, end = out.numel(); i < end; ++i) T.store(out.data, i, value);
  });
}

void copy(const DeviceContext&, const TensorView& out, const TensorView& in) {
  if (out.data != in.data) std::memmove(out.data, in.data, out.bytes());
}

void scale(const DeviceContext&, const TensorView& out, const TensorView& in, float alpha) {
  with_dtype(out.dtype, [&](auto T) {
    for (std::int64_t i = 0, end = out.numel(); i < end; ++i) T.store(out.data, i, alpha * T.load(in.data, i));
  });
}

void add(const DeviceContext&, const TensorView& out, const TensorView& a, const TensorView& b) {
  with_dtype(out.dtype, [&](auto T) {
    for (std::int64_t i = 0, end = out.numel(); i < end; ++i)
      T.store(out.data, i, T.load(a.data, i) + T.load(b.data, i));
  });
}

void add_relu(const DeviceContext&, const TensorView& out, const TensorView& a, const TensorView& b) {
  with_dtype(out.dtype, [&](auto T) {
    for (std::int64_t i = 0, end = out.numel(); i < end; ++i)
      T.store(out.data, i, std::max(T.load(a.data, i) + T.load(b.data, i), 0.0f));
  });
}

void relu_forward(const DeviceContext&, const TensorView& out, const TensorView& in) {
  with_dtype(out.dtype, [&](auto T) {
    for (std::int64_t i = 0, end = out.numel(); i < end; ++i)
      T.store(out.data, i, std::max(T.load(in.data, i), 0.0f));
  });
}

void relu_backward(const DeviceContext&, const TensorView& grad_in, const TensorView& grad_out,
                   const TensorView& out) {
  with_dtype(grad_in.dtype, [&](auto T) {
    for (std::int64_t i = 0, end = grad_in.numel(); i < end; ++i) {
      const float g = T.load(grad_out.data, i);  // loaded either way, so the select vectorises
      T.store(grad_in.data, i, T.load(out.data, i) > 0.0f ? g : 0.0f);
    }
  });
}

void cast(const DeviceContext& ctx, const TensorView& out, const TensorView& in) {
  if (out.dtype == in.dtype) return copy(ctx, out, in);
  auto* o = out.data;
  const auto* s = in.data;
  if (out.dtype == DType::F16)
    for (std::int64_t i = 0, end = out.numel(); i < end; ++i) F16::store(o, i, F32::load(s, i));
  else
    for (std::int64_t i = 0, end = out.numel(); i < end; ++i) F32::store(o, i, F16::load(s, i));
}

}  // namespace pose::cpu_ops
