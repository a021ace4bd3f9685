// Training augmentation of one person sample, as the MSRA reference does it (docs/reference_behaviour.md
// section 2): random scale, random rotation, random horizontal flip; the crop geometry that
// follows from them; the joints in network-input pixels; and the flip-back of heatmaps for
// the flip test (section 6).
#pragma once

#include <array>

#include "data/affine.h"
#include "data/record.h"
#include "data/rng.h"

namespace pose {

struct AugmentSettings {
  double scale_factor = 0.3;    // scale multiplier clip(N(0,1) sf + 1, 1 - sf, 1 + sf)
  double rotation_factor = 40;  // rotation clip(N(0,1) rf, -2 rf, 2 rf) degrees ...
  double rotation_prob = 0.6;   // ... with this probability, else 0
  bool flip = true;             // horizontal flip with probability 0.5
};

// One sample's random choices. The default is the identity (evaluation).
struct AugmentDraw {
  double scale_multiplier = 1;
  double rotation_degrees = 0;
  bool flip = false;
};

// Draws exactly four numbers from rng, in this order, whether or not each is used:
// normal (scale), uniform (rotate or not), normal (rotation angle), uniform (flip or not).
// A fixed count keeps the draws of one setting independent of the others, so e.g. turning
// flip off does not change the scales and rotations drawn for a seed.
AugmentDraw draw_augmentation(Rng& rng, const AugmentSettings& settings);

// The crop of one sample.
struct SampleGeometry {
  // The reference's affine: from the image as the reference warps it (mirrored when flipped)
  // to network-input pixels.
  Affine view_to_input;
  // Original (never mirrored) image pixels -> network-input pixels: view_to_input after the
  // mirror x -> image_width - 1 - x when flipped. A loader samples the decoded, unflipped
  // image through the inverse of this one map.
  Affine image_to_input;
  Point2 center;  // in the view: c_x -> image_width - 1 - c_x when flipped
  Point2 scale;   // the record's scale times the draw's multiplier
  double rotation_degrees = 0;
  bool flipped = false;
};

SampleGeometry sample_geometry(const PersonRecord& record, const AugmentDraw& draw, int input_width,
                               int input_height);

// Joints in network-input pixels (the reference's joints_3d / joints_3d_vis after the warp).
struct InputJoints {
  std::array<Point2, kCocoJoints> position{};
  std::array<float, kCocoJoints> visibility{};  // min(v, 1): 1 labelled, 0 unlabelled
};

// As the reference: visibility min(v, 1); when flipped, x -> image_width - 1 - x, the rows of
// each kCocoFlipPairs pair swapped (visibility too), and coordinates times visibility (so
// unlabelled joints are (0, 0)); then joints with visibility > 0 go through view_to_input,
// the others are left as they are.
InputJoints transform_joints(const PersonRecord& record, const SampleGeometry& geometry);

// The joint a horizontal flip turns `joint` into (itself for the nose).
int flip_partner(int joint);

// Flip test: turns heatmaps predicted on a mirrored input back into the original's frame.
// flipped and out are [height][width][kCocoJoints] (NHWC, one sample) and must not overlap.
// out = flipped mirrored along width with each flip pair's channels swapped, then moved right
// by `shift` columns, 0 <= shift <= 1: shift 1 is the reference's SHIFT_HEATMAP (one column,
// column 0 keeping its value), which offsets most of the flip's misalignment of 1 - 1/stride
// cells (0.75 at stride 4); a fraction interpolates linearly between neighbouring columns,
// out[x] = (1 - shift) m[x] + shift m[x - 1] with m[-1] = m[0], so that the whole
// misalignment can be undone.
void flip_back_heatmaps(const float* flipped, int height, int width, double shift, float* out);

}  // namespace pose
