// CPU reference of max pooling (f32 NHWC). Padding never takes part in the max: only window
// positions inside the image are compared. Ties go to the first position in row-major window
// order, and a NaN wins the window (PyTorch's rule, so an overflow upstream stays visible).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "kernels/layer_op_signatures.h"

namespace pose::cpu_ops {
namespace {

// The window of output (n, ho, wo) clipped to the image: input rows [h0, h1), columns [w0, w1).
struct Window {
  std::int64_t h0, h1, w0, w1;
};

Window clipped_window(std::int64_t ho, std::int64_t wo, std::int64_t height, std::int64_t width,
                      PoolGeometry g) {
  const std::int64_t top = ho * g.stride - g.pad;
  const std::int64_t left = wo * g.stride - g.pad;
  return {std::max<std::int64_t>(top, 0), std::min<std::int64_t>(top + g.window, height),
          std::max<std::int64_t>(left, 0), std::min<std::int64_t>(left + g.window, width)};
}

// Without short-circuit evaluation (| not ||), so that loops over it vectorise.
bool beats(float candidate, float best) { return (candidate > best) | std::isnan(candidate); }

// Calls fn(n, output pixel index, clipped window) for every output pixel of y.
template <typename Fn>
void for_each_window(const TensorView& x, const TensorView& y, PoolGeometry g, Fn&& fn) {
  const std::int64_t n_images = x.shape[0], height = x.shape[1], width = x.shape[2];
  const std::int64_t out_height = y.shape[1], out_width = y.shape[2];
  for (std::int64_t n = 0; n < n_images; ++n)
    for (std::int64_t ho = 0; ho < out_height; ++ho)
      for (std::int64_t wo = 0; wo < out_width; ++wo)
        fn(n, (n * out_height + ho) * out_width + wo, clipped_window(ho, wo, height, width, g));
}

}  // namespace

// The loops below are written as selects, not branches, so that the channel loops vectorise.
void maxpool_forward(const DeviceContext&, const TensorView& y, const TensorView& x,
                     PoolGeometry g) {
  const std::int64_t height = x.shape[1], width = x.shape[2], channels = x.shape[3];
  const float* xs = x.as<const float>();
  float* ys = y.as<float>();
  for_each_window(x, y, g, [&](std::int64_t n, std::int64_t out_pixel, Window win) {
    float* best = ys + out_pixel * channels;
    std::fill(best, best + channels, -std::numeric_limits<float>::infinity());
    for (std::int64_t h = win.h0; h < win.h1; ++h)
      for (std::int64_t w = win.w0; w < win.w1; ++w) {
        const float* in = xs + ((n * height + h) * width + w) * channels;
        for (std::int64_t c = 0; c < channels; ++c) best[c] = beats(in[c], best[c]) ? in[c] : best[c];
      }
  });
}

void maxpool_backward(const DeviceContext&, const TensorView& dx, const TensorView& dy,
                      const TensorView& x, PoolGeometry g) {
  const std::int64_t height = x.shape[1], width = x.shape[2], channels = x.shape[3];
  const float* xs = x.as<const float>();
  const float* dys = dy.as<const float>();
  float* dxs = dx.as<float>();
  std::fill(dxs, dxs + dx.numel(), 0.0f);
  // Per channel: the best value so far and its position in the window (row-major, from 0).
  // A second pass adds the gradient where the position matches: selects over whole pixels
  // vectorise, where scattering to each channel's winning pixel would not.
  std::vector<float> best(static_cast<std::size_t>(channels));
  std::vector<std::int32_t> where(static_cast<std::size_t>(channels));
  for_each_window(x, dy, g, [&](std::int64_t n, std::int64_t out_pixel, Window win) {
    const auto pixel_at = [&](std::int64_t h, std::int64_t w) { return ((n * height + h) * width + w) * channels; };
    std::copy(xs + pixel_at(win.h0, win.w0), xs + pixel_at(win.h0, win.w0) + channels, best.begin());
    std::fill(where.begin(), where.end(), 0);
    std::int32_t position = 0;
    for (std::int64_t h = win.h0; h < win.h1; ++h)
      for (std::int64_t w = win.w0; w < win.w1; ++w, ++position) {
        const float* in = xs + pixel_at(h, w);
        for (std::int64_t c = 0; c < channels; ++c) {
          const bool wins = beats(in[c], best[c]);
          best[c] = wins ? in[c] : best[c];
          where[c] = wins ? position : where[c];
        }
      }
    const float* grad = dys + out_pixel * channels;
    position = 0;
    for (std::int64_t h = win.h0; h < win.h1; ++h)
      for (std::int64_t w = win.w0; w < win.w1; ++w, ++position) {
        float* out = dxs + pixel_at(h, w);
        for (std::int64_t c = 0; c < channels; ++c) {
          const float gradient = grad[c];  // loaded whether or not it is added, so the select vectorises
          out[c] += where[c] == position ? gradient : 0.0f;
        }
      }
  });
}

}  // namespace pose::cpu_ops
