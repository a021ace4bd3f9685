#include "data/augment.h"

#include <algorithm>
#include <cstddef>
#include <utility>

#include "core/error.h"

namespace pose {

AugmentDraw draw_augmentation(Rng& rng, const AugmentSettings& settings) {
  const double scale_normal = rng.normal();
  const double rotate_uniform = rng.uniform();
  const double rotation_normal = rng.normal();
  const double flip_uniform = rng.uniform();

  const double sf = settings.scale_factor;
  const double rf = settings.rotation_factor;
  AugmentDraw draw;
  draw.scale_multiplier = std::clamp(scale_normal * sf + 1, 1 - sf, 1 + sf);
  // The reference tests random() <= p; with '<' a probability of 0 never rotates (the two
  // differ only when the uniform hits p exactly).
  draw.rotation_degrees = rotate_uniform < settings.rotation_prob
                              ? std::clamp(rotation_normal * rf, -2 * rf, 2 * rf)
                              : 0.0;
  draw.flip = settings.flip && flip_uniform < 0.5;
  return draw;
}

SampleGeometry sample_geometry(const PersonRecord& record, const AugmentDraw& draw, int input_width,
                               int input_height) {
  SampleGeometry g;
  g.flipped = draw.flip;
  g.rotation_degrees = draw.rotation_degrees;
  g.scale = {record.scale[0] * draw.scale_multiplier, record.scale[1] * draw.scale_multiplier};
  const double mirror_x = record.image_width - 1.0;  // x -> mirror_x - x
  g.center = {draw.flip ? mirror_x - record.center[0] : record.center[0], record.center[1]};
  g.view_to_input =
      affine_from_box(g.center, g.scale, g.rotation_degrees, input_width, input_height);
  Affine mirror;
  if (draw.flip) {
    mirror.a = -1;
    mirror.c = mirror_x;
  }
  g.image_to_input = compose(g.view_to_input, mirror);
  return g;
}

int flip_partner(int joint) {
  for (const auto& pair : kCocoFlipPairs) {
    if (pair[0] == joint) return pair[1];
    if (pair[1] == joint) return pair[0];
  }
  return joint;
}

InputJoints transform_joints(const PersonRecord& record, const SampleGeometry& geometry) {
  InputJoints out;
  for (int k = 0; k < kCocoJoints; ++k) {
    const Joint& j = record.joints[k];
    out.position[k] = {j.x, j.y};
    out.visibility[k] = std::min(j.visibility, 1.0f);
  }
  if (geometry.flipped) {
    const double mirror_x = record.image_width - 1.0;
    for (auto& p : out.position) p.x = mirror_x - p.x;
    for (const auto& pair : kCocoFlipPairs) {
      std::swap(out.position[pair[0]], out.position[pair[1]]);
      std::swap(out.visibility[pair[0]], out.visibility[pair[1]]);
    }
    for (int k = 0; k < kCocoJoints; ++k) {
      out.position[k].x *= out.visibility[k];
      out.position[k].y *= out.visibility[k];
    }
  }
  for (int k = 0; k < kCocoJoints; ++k) {
    if (out.visibility[k] > 0) out.position[k] = geometry.view_to_input.apply(out.position[k]);
  }
  return out;
}

void flip_back_heatmaps(const float* flipped, int height, int width, double shift, float* out) {
  POSE_CHECK(shift >= 0 && shift <= 1, "flip_back_heatmaps: shift ", shift, " is not in [0, 1]");
  std::array<int, kCocoJoints> partner{};
  for (int k = 0; k < kCocoJoints; ++k) partner[k] = flip_partner(k);
  const bool whole = shift == 0 || shift == 1;  // copies, so a NaN stays where it was
  const float f = static_cast<float>(shift);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      // Mirroring reads column width-1-x; the shift then reads the mirrored column x-1,
      // i.e. width-x, except column 0, which keeps its own mirrored value.
      const std::ptrdiff_t row = static_cast<std::ptrdiff_t>(y) * width;
      const float* here = flipped + (row + width - 1 - x) * kCocoJoints;
      const float* left = flipped + (row + (x > 0 ? width - x : width - 1)) * kCocoJoints;
      float* dst = out + (row + x) * kCocoJoints;
      if (whole) {
        const float* src = shift == 1 ? left : here;
        for (int k = 0; k < kCocoJoints; ++k) dst[k] = src[partner[k]];
      } else {
        for (int k = 0; k < kCocoJoints; ++k) dst[k] = (1 - f) * here[partner[k]] + f * left[partner[k]];
      }
    }
  }
}

}  // namespace pose
