// An RGB raster with an owner map. Every pixel remembers which owner painted it last (kNobody
// for background and clutter), which decides occlusion and visible areas; the canvas also keeps,
// per owner, the box of every pixel it ever painted, including pixels painted over later.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "geometry.h"

namespace pose::synth {

using Color = std::array<std::uint8_t, 3>;
constexpr int kNobody = -1;

// Inclusive pixel bounds; empty when x1 < x0.
struct PixelBounds {
  int x0 = 0, y0 = 0, x1 = -1, y1 = -1;
  bool empty() const { return x1 < x0; }
};

class Canvas {
 public:
  Canvas(int width, int height);

  int width() const { return width_; }
  int height() const { return height_; }
  bool contains(int x, int y) const { return x >= 0 && y >= 0 && x < width_ && y < height_; }
  const std::vector<std::uint8_t>& rgb() const { return rgb_; }
  int owner(int x, int y) const { return owner_[static_cast<std::size_t>(y) * width_ + x]; }
  // Everything `owner` painted (clipped to the canvas), whether still on top or not.
  PixelBounds painted(int owner) const;

  // Linear ramp from colour a at `from` to colour b at `to`, constant beyond both ends.
  void gradient(Point from, Color a, Point to, Color b);
  // Convex quadrilateral, corners in either winding order.
  void quad(const std::array<Point, 4>& corners, Color color, int owner);
  // Ellipse with semi-axes rx, ry, turned by `angle` radians.
  void ellipse(Point centre, double rx, double ry, double angle, Color color, int owner);
  void disc(Point centre, double radius, Color color, int owner);
  // A thick line with round ends: every pixel within `radius` of the segment a-b.
  void capsule(Point a, Point b, double radius, Color color, int owner);

 private:
  // Paints the pixels of `bounds` (clipped to the canvas) whose centres satisfy inside(p).
  template <typename Inside>
  void fill(const Box& bounds, Color color, int owner, Inside inside);

  int width_, height_;
  std::vector<std::uint8_t> rgb_;
  std::vector<std::int16_t> owner_;
  std::vector<PixelBounds> painted_;  // indexed by owner
};

}  // namespace pose::synth
