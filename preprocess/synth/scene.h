// One synthetic image and its annotations: a cluttered background, now and then a crowd of
// small figures (one iscrowd annotation, as COCO marks crowds), 1-4 people of varied size and
// place (some partly outside the image), occluders over some of them, and the boxes a person
// detector might report.
//
// Annotation conventions (COCO's): bbox is the tight box of every pixel the figure painted,
// including pixels covered later, clipped to the image; area is the number of the figure's
// pixels still visible; a keypoint is (0, 0, 0) outside the image, v = 1 where something
// drawn later covers it (or it is on the far side of the head), v = 2 where it is seen.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "data/rng.h"

namespace pose::synth {

struct Annotation {
  std::array<double, 51> keypoints{};  // x, y, v per joint
  int num_keypoints = 0;               // joints with v > 0
  std::array<double, 4> bbox{};        // x, y, w, h
  double area = 0;
  bool crowd = false;  // a crowd region: no keypoints
};

struct Detection {
  std::array<double, 4> bbox{};  // x, y, w, h
  double score = 0;
};

struct SceneSettings {
  int min_size = 256;  // image sides are drawn from [min_size, max_size]
  int max_size = 512;
};

struct Scene {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;  // height x width x 3
  std::vector<Annotation> annotations;
  std::vector<Detection> detections;
};

Scene make_scene(Rng& rng, const SceneSettings& settings);

}  // namespace pose::synth
