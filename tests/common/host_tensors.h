// Test helpers: CPU tensors from and to lists of float values, in either dtype.
#pragma once

#include <cstdint>
#include <vector>

#include "core/half.h"
#include "core/tensor.h"

namespace pose::test {

inline Tensor host_tensor(const std::vector<float>& values, DType dtype) {
  Tensor t = Tensor::empty({static_cast<std::int64_t>(values.size())}, dtype, Device::CPU);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (dtype == DType::F32)
      t.data<float>()[i] = values[i];
    else
      t.data<std::uint16_t>()[i] = float_to_half_bits(values[i]);
  }
  return t;
}

inline std::vector<float> host_values(const TensorView& t) {
  std::vector<float> values(static_cast<std::size_t>(t.numel()));
  for (std::size_t i = 0; i < values.size(); ++i)
    values[i] = t.dtype == DType::F32 ? t.as<float>()[i] : half_bits_to_float(t.as<std::uint16_t>()[i]);
  return values;
}

}  // namespace pose::test
