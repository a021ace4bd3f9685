#include "detections.h"

#include <algorithm>
#include <cmath>

namespace pose::synth {
namespace {

double uniform(Rng& rng, double lo, double hi) { return lo + (hi - lo) * rng.uniform(); }
// v rounded to 1/per_unit; dividing the whole number gives the double nearest the decimal.
double rounded(double v, double per_unit) { return std::round(v * per_unit) / per_unit; }

// [x, y, w, h] of the corners, clipped to the image and rounded to 0.01 pixel.
std::array<double, 4> clipped_box(double x0, double y0, double x1, double y1, int width, int height) {
  x0 = std::clamp(x0, 0.0, width - 1.0), x1 = std::clamp(x1, x0 + 1, static_cast<double>(width));
  y0 = std::clamp(y0, 0.0, height - 1.0), y1 = std::clamp(y1, y0 + 1, static_cast<double>(height));
  return {rounded(x0, 100), rounded(y0, 100), rounded(x1 - x0, 100), rounded(y1 - y0, 100)};
}

// The true box with each edge moved by a normal error of `sigma` box sizes.
Detection jittered(Rng& rng, const std::array<double, 4>& truth, double sigma, int width, int height) {
  const double w = truth[2], h = truth[3];
  Detection d;
  d.bbox = clipped_box(truth[0] + sigma * w * rng.normal(), truth[1] + sigma * h * rng.normal(),
                       truth[0] + w + sigma * w * rng.normal(), truth[1] + h + sigma * h * rng.normal(), width, height);
  // A good overlap earns a high score, with some noise so the ranking is not perfect.
  const double overlap = iou_xywh(d.bbox.data(), truth.data());
  d.score = std::clamp(0.2 + 0.78 * overlap * overlap + 0.03 * rng.normal(), 0.01, 0.999);
  return d;
}

}  // namespace

std::vector<Detection> simulate_detections(Rng& rng, const std::vector<Annotation>& annotations,
                                           const std::vector<Box>& clutter, int width, int height) {
  std::vector<Detection> detections;
  for (const Annotation& a : annotations) {
    if (a.crowd || rng.uniform() < 0.04) continue;  // crowds are not boxed; some people are missed
    detections.push_back(jittered(rng, a.bbox, uniform(rng, 0.02, 0.2), width, height));
    if (rng.uniform() < 0.25) {
      Detection duplicate = jittered(rng, a.bbox, uniform(rng, 0.15, 0.35), width, height);
      duplicate.score *= 0.5;
      detections.push_back(duplicate);
    }
  }
  for (int n = static_cast<int>(rng.below(3)); n > 0 && !clutter.empty(); --n) {
    const Box& c = clutter[rng.below(clutter.size())];
    const Detection false_box{clipped_box(c.x0, c.y0, c.x1, c.y1, width, height), uniform(rng, 0.01, 0.25)};
    if (false_box.bbox[2] >= 8 && false_box.bbox[3] >= 8) detections.push_back(false_box);  // not a sliver at an edge
  }
  for (Detection& d : detections) d.score = rounded(d.score, 1000);
  return detections;
}

}  // namespace pose::synth
