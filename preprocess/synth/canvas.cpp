#include "canvas.h"

#include <algorithm>
#include <cmath>

namespace pose::synth {

Canvas::Canvas(int width, int height)
    : width_(width), height_(height),
      rgb_(static_cast<std::size_t>(width) * height * 3, 0),
      owner_(static_cast<std::size_t>(width) * height, -1) {}

void Canvas::put(int x, int y, Color color, int owner) {
  const std::size_t i = static_cast<std::size_t>(y) * width_ + x;
  std::copy(color.begin(), color.end(), rgb_.begin() + static_cast<std::ptrdiff_t>(3 * i));
  owner_[i] = static_cast<std::int16_t>(owner);
}

void Canvas::gradient(Color top, Color bottom) {
  for (int y = 0; y < height_; ++y) {
    const double t = height_ > 1 ? static_cast<double>(y) / (height_ - 1) : 0;
    Color c;
    for (int k = 0; k < 3; ++k) c[k] = static_cast<std::uint8_t>(top[k] + t * (bottom[k] - top[k]));
    for (int x = 0; x < width_; ++x) put(x, y, c, -1);
  }
}

// Calls fn(x, y) for the pixels of the box [x0, x1] x [y0, y1] that are inside the canvas.
template <typename Fn>
void for_box(int width, int height, double x0, double y0, double x1, double y1, Fn fn) {
  const int xa = std::max(0, static_cast<int>(std::floor(x0))), xb = std::min(width - 1, static_cast<int>(std::ceil(x1)));
  const int ya = std::max(0, static_cast<int>(std::floor(y0))), yb = std::min(height - 1, static_cast<int>(std::ceil(y1)));
  for (int y = ya; y <= yb; ++y)
    for (int x = xa; x <= xb; ++x) fn(x, y);
}

void Canvas::rect(double x0, double y0, double x1, double y1, Color color, int owner) {
  for_box(width_, height_, x0, y0, x1, y1, [&](int x, int y) { put(x, y, color, owner); });
}

void Canvas::disc(double cx, double cy, double radius, Color color, int owner) {
  ellipse(cx, cy, radius, radius, color, owner);
}

void Canvas::ellipse(double cx, double cy, double rx, double ry, Color color, int owner) {
  for_box(width_, height_, cx - rx, cy - ry, cx + rx, cy + ry, [&](int x, int y) {
    const double dx = (x - cx) / rx, dy = (y - cy) / ry;
    if (dx * dx + dy * dy <= 1) put(x, y, color, owner);
  });
}

void Canvas::line(double x0, double y0, double x1, double y1, double radius, Color color, int owner) {
  const double dx = x1 - x0, dy = y1 - y0, length2 = dx * dx + dy * dy;
  for_box(width_, height_, std::min(x0, x1) - radius, std::min(y0, y1) - radius, std::max(x0, x1) + radius,
          std::max(y0, y1) + radius, [&](int x, int y) {
            const double t = length2 > 0 ? std::clamp(((x - x0) * dx + (y - y0) * dy) / length2, 0.0, 1.0) : 0;
            const double ex = x - (x0 + t * dx), ey = y - (y0 + t * dy);
            if (ex * ex + ey * ey <= radius * radius) put(x, y, color, owner);
          });
}

}  // namespace pose::synth
