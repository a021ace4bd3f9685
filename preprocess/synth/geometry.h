// Points and axis-aligned boxes in image pixels: x right, y down, pixel (i, j) centred at (i, j).
#pragma once

#include <algorithm>
#include <cmath>

namespace pose::synth {

struct Point {
  double x = 0, y = 0;
};

inline Point operator+(Point a, Point b) { return {a.x + b.x, a.y + b.y}; }
inline Point operator-(Point a, Point b) { return {a.x - b.x, a.y - b.y}; }
inline Point operator*(Point a, double s) { return {a.x * s, a.y * s}; }
inline double dot(Point a, Point b) { return a.x * b.x + a.y * b.y; }
inline double cross(Point a, Point b) { return a.x * b.y - a.y * b.x; }
// `p` turned by `angle` radians (clockwise on screen, since y points down).
inline Point rotated(Point p, double angle) {
  const double c = std::cos(angle), s = std::sin(angle);
  return {c * p.x - s * p.y, s * p.x + c * p.y};
}

// [x0, x1] x [y0, y1]; empty when x1 < x0.
struct Box {
  double x0 = 0, y0 = 0, x1 = -1, y1 = -1;

  bool empty() const { return x1 < x0 || y1 < y0; }
  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
  void add(Point p, double margin = 0) {
    if (empty()) {
      *this = {p.x - margin, p.y - margin, p.x + margin, p.y + margin};
      return;
    }
    x0 = std::min(x0, p.x - margin), y0 = std::min(y0, p.y - margin);
    x1 = std::max(x1, p.x + margin), y1 = std::max(y1, p.y + margin);
  }
};

// Intersection over union of two boxes given as COCO's [x, y, w, h].
inline double iou_xywh(const double* a, const double* b) {
  const double w = std::min(a[0] + a[2], b[0] + b[2]) - std::max(a[0], b[0]);
  const double h = std::min(a[1] + a[3], b[1] + b[3]) - std::max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const double both = w * h;
  return both / (a[2] * a[3] + b[2] * b[3] - both);
}

}  // namespace pose::synth
