// An RGB raster with an owner map: every pixel remembers which person (or nothing, -1) was
// drawn there last, which is how occlusion and visible areas are decided.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace pose::synth {

using Color = std::array<std::uint8_t, 3>;

class Canvas {
 public:
  Canvas(int width, int height);

  int width() const { return width_; }
  int height() const { return height_; }
  const std::vector<std::uint8_t>& rgb() const { return rgb_; }
  int owner(int x, int y) const { return owner_[static_cast<std::size_t>(y) * width_ + x]; }

  // Vertical gradient between two colours.
  void gradient(Color top, Color bottom);
  // Shapes; `owner` is the person drawn (-1 for clutter, which erases ownership).
  void rect(double x0, double y0, double x1, double y1, Color color, int owner);
  void disc(double cx, double cy, double radius, Color color, int owner);
  void ellipse(double cx, double cy, double rx, double ry, Color color, int owner);
  void line(double x0, double y0, double x1, double y1, double radius, Color color, int owner);

 private:
  void put(int x, int y, Color color, int owner);

  int width_, height_;
  std::vector<std::uint8_t> rgb_;
  std::vector<std::int16_t> owner_;
};

}  // namespace pose::synth
