#include "data/warp.h"

#include <algorithm>
#include <cmath>

namespace pose {

PixelBox source_box(const Affine& m, int out_w, int out_h) {
  const double us[2] = {0.0, out_w - 1.0}, vs[2] = {0.0, out_h - 1.0};
  double x_lo = 1e300, x_hi = -1e300, y_lo = 1e300, y_hi = -1e300;
  for (double u : us)
    for (double v : vs) {
      const double x = m.a * u + m.b * v + m.c, y = m.d * u + m.e * v + m.f;
      x_lo = std::min(x_lo, x), x_hi = std::max(x_hi, x);
      y_lo = std::min(y_lo, y), y_hi = std::max(y_hi, y);
    }
  // 16 px covers the bilinear taps and the half-pixel offset of a 1/8-scale decode.
  constexpr double kMargin = 16;
  auto to_int = [](double v) { return static_cast<int>(std::clamp(v, -1e9, 1e9)); };
  return {to_int(std::floor(x_lo - kMargin)), to_int(std::floor(y_lo - kMargin)),
          to_int(std::ceil(x_hi + kMargin)), to_int(std::ceil(y_hi + kMargin))};
}

int coarsest_scale_denom(double input_pixels_per_image_pixel) {
  for (int d : {8, 4, 2})
    if (d * input_pixels_per_image_pixel <= 1.0 + 1e-9) return d;
  return 1;
}

void warp_normalize(const DecodedRegion& region, const Affine& m, int out_w, int out_h,
                    const Normalization& norm, float* out) {
  // Decoded pixel i of the region has its centre at full-resolution x = (origin + i) * s +
  // (s - 1) / 2, so region coordinates are rx = (x - (s - 1) / 2) / s - origin.
  const double s = region.scale_denom;
  const double half = (s - 1) / 2;
  const float ax = static_cast<float>(m.a / s), bx = static_cast<float>(m.b / s);
  const float ay = static_cast<float>(m.d / s), by = static_cast<float>(m.e / s);
  const double cx = (m.c - half) / s - region.origin_x, cy = (m.f - half) / s - region.origin_y;

  // Channel k of the output reads channel src[k] of the RGB region.
  const int src[3] = {norm.order == ColorOrder::RGB ? 0 : 2, 1, norm.order == ColorOrder::RGB ? 2 : 0};
  float gain[3], bias[3];
  for (int k = 0; k < 3; ++k) {
    gain[k] = 1.0f / (255.0f * norm.std[k]);
    bias[k] = -norm.mean[k] / norm.std[k];
  }
  const int w = region.width, h = region.height;
  const std::uint8_t* px = region.rgb.data();
  auto tap = [&](int x, int y, int c) -> float {
    return (x >= 0 && x < w && y >= 0 && y < h) ? px[(static_cast<std::size_t>(y) * w + x) * 3 + c] : 0.0f;
  };

  for (int v = 0; v < out_h; ++v) {
    const float rx0 = static_cast<float>(bx * v + cx), ry0 = static_cast<float>(by * v + cy);
    float* row = out + static_cast<std::size_t>(v) * out_w * 3;
    for (int u = 0; u < out_w; ++u, row += 3) {
      const float rx = rx0 + ax * static_cast<float>(u), ry = ry0 + ay * static_cast<float>(u);
      const float fx0 = std::floor(rx), fy0 = std::floor(ry);
      const int x0 = static_cast<int>(fx0), y0 = static_cast<int>(fy0);
      const float wx = rx - fx0, wy = ry - fy0;
      const float w00 = (1 - wx) * (1 - wy), w01 = wx * (1 - wy), w10 = (1 - wx) * wy, w11 = wx * wy;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h) {  // all four taps inside: no checks
        const std::uint8_t* p = px + (static_cast<std::size_t>(y0) * w + x0) * 3;
        const std::uint8_t* q = p + static_cast<std::size_t>(w) * 3;
        for (int k = 0; k < 3; ++k) {
          const int c = src[k];
          const float value = w00 * p[c] + w01 * p[3 + c] + w10 * q[c] + w11 * q[3 + c];
          row[k] = value * gain[k] + bias[k];
        }
      } else {
        for (int k = 0; k < 3; ++k) {
          const int c = src[k];
          const float value = w00 * tap(x0, y0, c) + w01 * tap(x0 + 1, y0, c) +
                              w10 * tap(x0, y0 + 1, c) + w11 * tap(x0 + 1, y0 + 1, c);
          row[k] = value * gain[k] + bias[k];
        }
      }
    }
  }
}

}  // namespace pose
