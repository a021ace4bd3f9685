// IEEE binary16 on the host. The CPU backend stores fp16 tensors as raw 16-bit patterns and
// converts with round-to-nearest-even, bit-identical to CUDA's __float2half_rn / __half2float,
// so CPU and GPU results can be compared exactly.
#pragma once

#include <cstdint>

namespace pose {

float half_bits_to_float(std::uint16_t bits);
std::uint16_t float_to_half_bits(float value);  // round to nearest even; NaN -> 0x7fff

}  // namespace pose
