#include "viz/network_input.h"

#include <algorithm>
#include <cmath>

namespace pose {

Picture denormalize(const float* image, int width, int height, const Normalization& norm) {
  Picture p(width, height);
  for (std::size_t i = 0; i < static_cast<std::size_t>(width) * height; ++i)
    for (int c = 0; c < 3; ++c) {
      const float v = (image[i * 3 + c] * norm.std[c] + norm.mean[c]) * 255.0f;
      // BGR inputs hold blue in channel 0: put it back in RGB order.
      const int out = norm.order == ColorOrder::BGR ? 2 - c : c;
      p.rgb[i * 3 + out] = static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
    }
  return p;
}

void overlay_heatmaps(Picture& picture, const float* targets, int h, int w, int joints) {
  for (int y = 0; y < picture.height; ++y)
    for (int x = 0; x < picture.width; ++x) {
      const int hy = std::min(h - 1, y * h / picture.height), hx = std::min(w - 1, x * w / picture.width);
      const float* cell = targets + (static_cast<std::size_t>(hy) * w + hx) * joints;
      const double v = std::clamp(static_cast<double>(*std::max_element(cell, cell + joints)), 0.0, 1.0);
      picture.blend(x, y, {255, static_cast<std::uint8_t>(255 * v), 0}, 0.7 * v);
    }
}

std::array<double, 51> joints_from_targets(const float* targets, const float* weights, int h, int w, int joints,
                                           int picture_width, int picture_height) {
  std::array<double, 51> out{};
  for (int j = 0; j < std::min(joints, 17); ++j) {
    if (weights[j] <= 0) continue;
    int best = 0;
    for (int i = 1; i < h * w; ++i)
      if (targets[static_cast<std::size_t>(i) * joints + j] > targets[static_cast<std::size_t>(best) * joints + j])
        best = i;
    // The peak cell mu is round(position / stride) (data/targets.h): back to input pixels.
    out[j * 3] = static_cast<double>(best % w) * picture_width / w;
    out[j * 3 + 1] = static_cast<double>(best / w) * picture_height / h;
    out[j * 3 + 2] = 1;
  }
  return out;
}

}  // namespace pose
