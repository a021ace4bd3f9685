// Conversions between PyTorch's tensor layouts and ours (model/param_store.h, ParamKind):
// conv weights move PyTorch's axis 1 (input channels, or a transposed conv's output channels)
// to the end, which is cuDNN's NHWC filter layout; vectors are unchanged.
#pragma once

#include <cstdint>
#include <vector>

#include "model/param_store.h"

namespace pose {

// PyTorch's shape of a tensor we store as `info`.
std::vector<std::int64_t> torch_shape(const ParamInfo& info);

// ours <- PyTorch (both hold info.shape.numel() floats).
void from_torch_layout(const ParamInfo& info, const float* torch, float* ours);
// PyTorch <- ours.
void to_torch_layout(const ParamInfo& info, const float* ours, float* torch);

}  // namespace pose
