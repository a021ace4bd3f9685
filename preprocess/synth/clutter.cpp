#include "clutter.h"

#include <cmath>

#include "colors.h"

namespace pose::synth {
namespace {

double uniform(Rng& rng, double lo, double hi) { return lo + (hi - lo) * rng.uniform(); }

}  // namespace

void paint_background(Canvas& canvas, Rng& rng) {
  const double w = canvas.width(), h = canvas.height();
  const Point from{uniform(rng, 0, w), uniform(rng, 0, h)}, to{uniform(rng, 0, w), uniform(rng, 0, h)};
  canvas.gradient(from, random_color(rng), to, random_color(rng));
}

Box draw_clutter_shape(Canvas& canvas, Rng& rng, Point centre, double size) {
  // A third of the clutter wears people's colours, so colour alone does not find people.
  const Color color = rng.uniform() < 0.35 ? figure_like_color(rng) : random_color(rng);
  const double a = uniform(rng, 0.2, 0.5) * size, b = uniform(rng, 0.2, 0.5) * size;
  const double angle = uniform(rng, 0, 3.14159265358979323846);
  Box extent;
  switch (rng.below(4)) {
    case 0: {  // a turned rectangle
      const Point u = rotated({a, 0}, angle), v = rotated({0, b}, angle);
      const std::array<Point, 4> corners{centre - u - v, centre + u - v, centre + u + v, centre - u + v};
      canvas.quad(corners, color, kNobody);
      for (const Point& p : corners) extent.add(p);
      break;
    }
    case 1:
      canvas.ellipse(centre, a, b, angle, color, kNobody);
      extent.add(centre, std::max(a, b));
      break;
    case 2: {  // a line
      const Point half = rotated({a + b, 0}, angle);
      const double radius = uniform(rng, 1, 4);
      canvas.capsule(centre - half, centre + half, radius, color, kNobody);
      extent.add(centre - half, radius);
      extent.add(centre + half, radius);
      break;
    }
    default: {  // a lone limb with darker joint discs, like a figure's
      const Point half = rotated({a, 0}, angle);
      const double radius = std::max(1.5, 0.12 * b);
      canvas.capsule(centre - half, centre + half, radius, color, kNobody);
      canvas.disc(centre - half, 1.3 * radius, darker(color, 0.35), kNobody);
      canvas.disc(centre + half, 1.3 * radius, darker(color, 0.35), kNobody);
      extent.add(centre - half, 1.3 * radius);
      extent.add(centre + half, 1.3 * radius);
      break;
    }
  }
  return extent;
}

std::vector<Box> scatter_clutter(Canvas& canvas, Rng& rng, int count, double max_size) {
  std::vector<Box> extents;
  for (int i = 0; i < count; ++i) {
    const Point centre{uniform(rng, 0, canvas.width()), uniform(rng, 0, canvas.height())};
    extents.push_back(draw_clutter_shape(canvas, rng, centre, uniform(rng, 0.15, 1.0) * max_size));
  }
  return extents;
}

}  // namespace pose::synth
