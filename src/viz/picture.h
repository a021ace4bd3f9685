// An 8-bit RGB picture and the few primitives the pose drawings need: blended discs and thick
// lines (anti-aliased over one pixel, so thin limbs on small crops stay readable), and
// pasting one picture beside another.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace pose {

using Rgb = std::array<std::uint8_t, 3>;

struct Picture {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;  // height x width x 3

  Picture() = default;
  Picture(int w, int h, Rgb fill = {0, 0, 0});

  // Mixes `color` into pixel (x, y) with weight alpha in [0, 1]; outside the picture: nothing.
  void blend(int x, int y, Rgb color, double alpha);
};

// Every pixel within `radius` of (cx, cy), blended with `alpha`.
void draw_disc(Picture& p, double cx, double cy, double radius, Rgb color, double alpha);
// A line of width 2 * radius with round ends from (x0, y0) to (x1, y1).
void draw_thick_line(Picture& p, double x0, double y0, double x1, double y1, double radius, Rgb color,
                     double alpha);

// `left` and `right` side by side (top-aligned) with a `gap`-pixel grey strip between them.
Picture side_by_side(const Picture& left, const Picture& right, int gap = 4);

// Decodes a whole JPEG file (any size) into a picture. Throws UserError naming `path` when it
// cannot be read or is not a readable JPEG.
Picture read_jpeg_picture(const std::string& path);

// Writes a JPEG (quality 90) through `path` + ".partial" and a rename, so `path` is never a
// half-written file. Throws UserError naming the path.
void write_jpeg_picture(const std::string& path, const Picture& p);

}  // namespace pose
