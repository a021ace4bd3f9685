#include "model/torch_layout.h"

#include <algorithm>

namespace pose {
namespace {

// Our {A, R, S, B} index and PyTorch's [A, B, R, S] index of the same element.
struct Dims {
  std::int64_t a, r, s, b;
};

Dims dims_of(const ParamInfo& info) {
  return {info.shape[0], info.shape[1], info.shape[2], info.shape[3]};
}

template <typename Fn>
void for_each_pair(const Dims& d, Fn&& fn) {
  for (std::int64_t a = 0; a < d.a; ++a)
    for (std::int64_t r = 0; r < d.r; ++r)
      for (std::int64_t s = 0; s < d.s; ++s)
        for (std::int64_t b = 0; b < d.b; ++b)
          fn(((a * d.r + r) * d.s + s) * d.b + b, ((a * d.b + b) * d.r + r) * d.s + s);
}

}  // namespace

std::vector<std::int64_t> torch_shape(const ParamInfo& info) {
  if (info.kind == ParamKind::Vector) return {info.shape[0]};
  const Dims d = dims_of(info);
  return {d.a, d.b, d.r, d.s};
}

void from_torch_layout(const ParamInfo& info, const float* torch, float* ours) {
  if (info.kind == ParamKind::Vector) {
    std::copy(torch, torch + info.shape.numel(), ours);
    return;
  }
  for_each_pair(dims_of(info), [&](std::int64_t o, std::int64_t t) { ours[o] = torch[t]; });
}

void to_torch_layout(const ParamInfo& info, const float* ours, float* torch) {
  if (info.kind == ParamKind::Vector) {
    std::copy(ours, ours + info.shape.numel(), torch);
    return;
  }
  for_each_pair(dims_of(info), [&](std::int64_t o, std::int64_t t) { torch[t] = ours[o]; });
}

}  // namespace pose
