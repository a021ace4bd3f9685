// One synthetic image: a cluttered background, 1-4 stick figures with the 17 COCO keypoints
// (left limbs in warm colours, right limbs in cool ones, so left and right can be told apart
// and a horizontal flip matters), some occluders drawn over them, and its annotations.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "data/rng.h"

namespace pose::synth {

struct Person {
  std::array<double, 51> keypoints{};  // x, y, v per joint, COCO's convention
  int num_keypoints = 0;               // joints with v > 0
  std::array<double, 4> bbox{};        // [x, y, w, h] of the drawn figure, within the image
  double area = 0;                     // the figure's visible pixels
};

struct Detection {
  std::array<double, 4> bbox{};
  double score = 0;
};

struct Scene {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> jpeg;
  std::vector<Person> people;
  std::vector<Detection> detections;  // jittered true boxes, duplicates and false boxes
};

struct SceneSettings {
  int min_size = 256;
  int max_size = 512;
  int quality = 90;
};

Scene make_scene(Rng& rng, const SceneSettings& settings);

}  // namespace pose::synth
