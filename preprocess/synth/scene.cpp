#include "scene.h"

#include <algorithm>
#include <cmath>

#include "canvas.h"
#include "clutter.h"
#include "detections.h"
#include "figure.h"

namespace pose::synth {
namespace {

double uniform(Rng& rng, double lo, double hi) { return lo + (hi - lo) * rng.uniform(); }

double round2(double v) { return std::round(v * 100) / 100; }

// Something annotated: a person (one figure) or a crowd (many small ones). Entity i paints
// as owners [i * kNumParts, (i + 1) * kNumParts).
struct Entity {
  std::vector<Figure> figures;
  bool crowd = false;
};

// Where a figure goes: mostly wholly inside the image, sometimes anywhere its middle lands,
// which leaves parts of it outside.
Point placement(Rng& rng, const Box& extent, int width, int height) {
  auto range = [&](double lo, double hi, double size) {
    return lo <= hi ? uniform(rng, lo, hi) : (lo + hi) / 2 + uniform(rng, -0.1, 0.1) * size;
  };
  if (rng.uniform() < 0.7)
    return {range(-extent.x0, width - 1 - extent.x1, width), range(-extent.y0, height - 1 - extent.y1, height)};
  return {uniform(rng, 0, width) - (extent.x0 + extent.x1) / 2, uniform(rng, 0, height) - (extent.y0 + extent.y1) / 2};
}

Entity make_crowd(Rng& rng, int width, int height) {
  Entity crowd;
  crowd.crowd = true;
  const double region_w = uniform(rng, 0.2, 0.4) * width, region_h = uniform(rng, 0.1, 0.2) * height;
  const Point corner{uniform(rng, 0, width - region_w), uniform(rng, 0, height - region_h)};
  for (int n = 5 + static_cast<int>(rng.below(5)); n > 0; --n) {
    Figure f = sample_figure(rng, uniform(rng, 20, 36));
    move_figure(f, corner + Point{uniform(rng, 0, region_w), uniform(rng, 0, region_h)});
    crowd.figures.push_back(f);
  }
  return crowd;
}

Annotation annotate(const Canvas& canvas, const Entity& entity, int index, double visible_pixels) {
  Annotation a;
  a.crowd = entity.crowd;
  a.area = visible_pixels;
  PixelBounds painted;
  for (int part = 0; part < kNumParts; ++part) {
    const PixelBounds p = canvas.painted(index * kNumParts + part);
    if (p.empty()) continue;
    painted = painted.empty() ? p
                              : PixelBounds{std::min(painted.x0, p.x0), std::min(painted.y0, p.y0),
                                            std::max(painted.x1, p.x1), std::max(painted.y1, p.y1)};
  }
  a.bbox = {static_cast<double>(painted.x0), static_cast<double>(painted.y0), painted.x1 - painted.x0 + 1.0,
            painted.y1 - painted.y0 + 1.0};
  if (entity.crowd) return a;
  const Figure& f = entity.figures.front();
  for (int k = 0; k < kNumJoints; ++k) {
    const double x = round2(f.joints[static_cast<std::size_t>(k)].x), y = round2(f.joints[static_cast<std::size_t>(k)].y);
    if (x < 0 || y < 0 || x > canvas.width() - 1 || y > canvas.height() - 1) continue;  // unlabelled: (0, 0, 0)
    const int owner = canvas.owner(static_cast<int>(std::lround(x)), static_cast<int>(std::lround(y)));
    const bool seen = !f.behind_head[static_cast<std::size_t>(k)] && owner != kNobody &&
                      owner / kNumParts == index && part_shows_joint(owner % kNumParts, k);
    a.keypoints[static_cast<std::size_t>(3 * k)] = x;
    a.keypoints[static_cast<std::size_t>(3 * k + 1)] = y;
    a.keypoints[static_cast<std::size_t>(3 * k + 2)] = seen ? 2 : 1;
    ++a.num_keypoints;
  }
  return a;
}

}  // namespace

Scene make_scene(Rng& rng, const SceneSettings& settings) {
  Scene scene;
  const int w = settings.min_size + static_cast<int>(rng.below(static_cast<std::uint64_t>(settings.max_size - settings.min_size + 1)));
  const int h = settings.min_size + static_cast<int>(rng.below(static_cast<std::uint64_t>(settings.max_size - settings.min_size + 1)));
  scene.width = w;
  scene.height = h;
  Canvas canvas(w, h);
  paint_background(canvas, rng);
  const double short_side = std::min(w, h);
  std::vector<Box> clutter = scatter_clutter(canvas, rng, 8 + static_cast<int>(rng.below(20)), 0.35 * short_side);

  std::vector<Entity> entities;
  if (rng.uniform() < 0.04) entities.push_back(make_crowd(rng, w, h));  // behind everyone else
  const int people = 1 + static_cast<int>(rng.below(4));
  // From ~60 pixels tall (log-uniform, so small people are common) to most of the image.
  const double smallest = std::min(60.0, 0.6 * h), largest = std::max(smallest, 0.95 * h);
  for (int p = 0; p < people; ++p) {
    Figure f = sample_figure(rng, smallest * std::exp(rng.uniform() * std::log(largest / smallest)));
    move_figure(f, placement(rng, figure_extent(f), w, h));
    entities.push_back({{f}, false});
  }
  for (std::size_t i = 0; i < entities.size(); ++i)
    for (const Figure& f : entities[i].figures) draw_figure(canvas, f, static_cast<int>(i) * kNumParts);
  // Occluders dropped on a joint of some people, then a few shapes anywhere on top.
  for (const Entity& entity : entities) {
    if (entity.crowd || rng.uniform() >= 0.3) continue;
    const Figure& f = entity.figures.front();
    const Point at = f.joints[static_cast<std::size_t>(rng.below(kNumJoints))];
    const Box extent = figure_extent(f);
    clutter.push_back(draw_clutter_shape(canvas, rng, at, uniform(rng, 0.3, 0.7) * std::max(extent.width(), extent.height())));
  }
  for (const Box& box : scatter_clutter(canvas, rng, static_cast<int>(rng.below(3)), 0.2 * short_side))
    clutter.push_back(box);

  std::vector<double> visible(entities.size(), 0);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      if (const int owner = canvas.owner(x, y); owner != kNobody) ++visible[static_cast<std::size_t>(owner / kNumParts)];
  for (std::size_t i = 0; i < entities.size(); ++i)
    if (visible[i] > 0)  // people hidden entirely get no annotation, as in COCO
      scene.annotations.push_back(annotate(canvas, entities[i], static_cast<int>(i), visible[i]));
  scene.detections = simulate_detections(rng, scene.annotations, clutter, w, h);
  scene.rgb = canvas.rgb();
  return scene;
}

}  // namespace pose::synth
