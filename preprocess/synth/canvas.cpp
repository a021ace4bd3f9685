#include "canvas.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"

namespace pose::synth {

Canvas::Canvas(int width, int height)
    : width_(width), height_(height),
      rgb_(static_cast<std::size_t>(width) * height * 3, 0),
      owner_(static_cast<std::size_t>(width) * height, kNobody) {}

PixelBounds Canvas::painted(int owner) const {
  return owner >= 0 && static_cast<std::size_t>(owner) < painted_.size() ? painted_[static_cast<std::size_t>(owner)]
                                                                          : PixelBounds{};
}

template <typename Inside>
void Canvas::fill(const Box& bounds, Color color, int owner, Inside inside) {
  POSE_CHECK(owner >= kNobody && owner <= std::numeric_limits<std::int16_t>::max(), "owner ", owner);
  const int xa = std::max(0, static_cast<int>(std::ceil(bounds.x0)));
  const int ya = std::max(0, static_cast<int>(std::ceil(bounds.y0)));
  const int xb = std::min(width_ - 1, static_cast<int>(std::floor(bounds.x1)));
  const int yb = std::min(height_ - 1, static_cast<int>(std::floor(bounds.y1)));
  PixelBounds* box = nullptr;
  if (owner != kNobody) {
    if (static_cast<std::size_t>(owner) >= painted_.size()) painted_.resize(static_cast<std::size_t>(owner) + 1);
    box = &painted_[static_cast<std::size_t>(owner)];
  }
  for (int y = ya; y <= yb; ++y) {
    for (int x = xa; x <= xb; ++x) {
      if (!inside(Point{static_cast<double>(x), static_cast<double>(y)})) continue;
      const std::size_t i = static_cast<std::size_t>(y) * width_ + x;
      std::copy(color.begin(), color.end(), rgb_.begin() + static_cast<std::ptrdiff_t>(3 * i));
      owner_[i] = static_cast<std::int16_t>(owner);
      if (!box) continue;
      if (box->empty()) {
        *box = {x, y, x, y};
      } else {
        box->x0 = std::min(box->x0, x), box->x1 = std::max(box->x1, x);
        box->y0 = std::min(box->y0, y), box->y1 = std::max(box->y1, y);
      }
    }
  }
}

void Canvas::gradient(Point from, Color a, Point to, Color b) {
  // The ramp as a table of colours, so the per-pixel work is one multiply-add and a lookup.
  constexpr int kSteps = 1024;
  std::array<Color, kSteps + 1> ramp;
  for (int i = 0; i <= kSteps; ++i)
    for (int k = 0; k < 3; ++k)
      ramp[static_cast<std::size_t>(i)][k] = static_cast<std::uint8_t>(a[k] + (b[k] - a[k]) * i / kSteps);
  const Point axis = to - from;
  const double length2 = std::max(dot(axis, axis), 1e-9);
  const double step = axis.x / length2 * kSteps;
  for (int y = 0; y < height_; ++y) {
    const double t0 = dot(Point{0, static_cast<double>(y)} - from, axis) / length2 * kSteps;
    std::uint8_t* row = rgb_.data() + static_cast<std::size_t>(y) * width_ * 3;
    for (int x = 0; x < width_; ++x) {
      const Color& c = ramp[static_cast<std::size_t>(std::clamp(t0 + step * x, 0.0, double{kSteps}) + 0.5)];
      std::copy(c.begin(), c.end(), row + 3 * x);
    }
  }
  std::fill(owner_.begin(), owner_.end(), static_cast<std::int16_t>(kNobody));
}

void Canvas::quad(const std::array<Point, 4>& corners, Color color, int owner) {
  Box bounds;
  for (const Point& p : corners) bounds.add(p);
  fill(bounds, color, owner, [&](Point p) {
    // Inside a convex polygon: on the same side of every edge.
    bool any_negative = false, any_positive = false;
    for (std::size_t i = 0; i < 4; ++i) {
      const double side = cross(corners[(i + 1) % 4] - corners[i], p - corners[i]);
      any_negative |= side < 0;
      any_positive |= side > 0;
    }
    return !(any_negative && any_positive);
  });
}

void Canvas::ellipse(Point centre, double rx, double ry, double angle, Color color, int owner) {
  const double reach = std::max(rx, ry);
  const Box bounds{centre.x - reach, centre.y - reach, centre.x + reach, centre.y + reach};
  fill(bounds, color, owner, [&](Point p) {
    const Point local = rotated(p - centre, -angle);
    return (local.x * local.x) / (rx * rx) + (local.y * local.y) / (ry * ry) <= 1;
  });
}

void Canvas::disc(Point centre, double radius, Color color, int owner) { ellipse(centre, radius, radius, 0, color, owner); }

void Canvas::capsule(Point a, Point b, double radius, Color color, int owner) {
  Box bounds;
  bounds.add(a, radius);
  bounds.add(b, radius);
  const Point axis = b - a;
  const double length2 = dot(axis, axis);
  fill(bounds, color, owner, [&](Point p) {
    const double t = length2 > 0 ? std::clamp(dot(p - a, axis) / length2, 0.0, 1.0) : 0;
    const Point off = p - (a + axis * t);
    return dot(off, off) <= radius * radius;
  });
}

}  // namespace pose::synth
