// One sample from one record: draw the augmentation, decode just the JPEG region the
// transform reads (in fast mode at a reduced DCT scale, see DecodeMode), warp it into the
// normalised network input, and build the heatmap targets.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "data/augment.h"
#include "data/record.h"
#include "data/targets.h"
#include "data/warp.h"

namespace pose {

// How the JPEG is decoded. Fast decodes at the coarsest DCT scale (1/2, 1/4, 1/8) that still
// gives one decoded pixel per network-input pixel, which blurs like about half an input pixel;
// Exact always decodes at full resolution, as the reference's cv2.imread does.
enum class DecodeMode { Exact, Fast };

struct SampleSettings {
  int input_width = 192;
  int input_height = 256;
  int heatmap_width = 48;
  int heatmap_height = 64;
  int num_joints = kCocoJoints;
  float sigma = 2;
  TargetCenter target_center = TargetCenter::Rounded;
  bool augment = true;  // training: random scale, rotation, flip; evaluation: none
  DecodeMode decode = DecodeMode::Exact;
  AugmentSettings augmentation;
  Normalization normalization;
  std::uint64_t seed = 1;
};

// What was done to a sample, for evaluation (back transform) and debugging.
struct SampleInfo {
  std::size_t record = 0;
  std::int64_t image_id = 0;
  std::array<float, 2> center{};  // after augmentation (flip applied)
  std::array<float, 2> scale{};
  float rotation = 0;
  bool flipped = false;
  float score = 1;
  float area = 0;
  int decode_scale = 1;  // the DCT scale the JPEG was decoded at (1, 2, 4, 8)
};

class SampleBuilder {
 public:
  explicit SampleBuilder(const SampleSettings& settings);

  // Fills image [H][W][3], targets [h][w][K] and weights [K]. The augmentation is drawn from
  // an Rng seeded by (seed, epoch, record index), so it does not depend on thread scheduling.
  // Throws pose::Error when the JPEG cannot be decoded.
  void build(const PersonRecord& record, std::size_t record_index, std::int64_t epoch,
             const std::vector<std::uint8_t>& jpeg, float* image, float* targets, float* weights,
             SampleInfo& info) const;

  const SampleSettings& settings() const { return settings_; }

 private:
  SampleSettings settings_;
};

}  // namespace pose
