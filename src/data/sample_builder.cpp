#include "data/sample_builder.h"

#include <cmath>

#include "core/error.h"
#include "data/rng.h"
#include "data/targets.h"

namespace pose {
namespace {
constexpr std::uint64_t kAugmentStream = 0x4155'474dull;  // "AUGM": the augmentation RNG stream
}

SampleBuilder::SampleBuilder(const SampleSettings& settings) : settings_(settings) {
  POSE_CHECK(settings.num_joints > 0 && settings.num_joints <= kCocoJoints, "num_joints ",
             settings.num_joints);
}

void SampleBuilder::build(const PersonRecord& record, std::size_t record_index, std::int64_t epoch,
                          const std::vector<std::uint8_t>& jpeg, float* image, float* targets,
                          float* weights, SampleInfo& info) const {
  const SampleSettings& s = settings_;
  AugmentDraw draw;
  if (s.augment) {
    Rng rng(s.seed, kAugmentStream ^ static_cast<std::uint64_t>(epoch), record_index);
    draw = draw_augmentation(rng, s.augmentation);
  }
  const SampleGeometry geometry = sample_geometry(record, draw, s.input_width, s.input_height);
  const Affine input_to_image = geometry.image_to_input.inverse();

  // Decode only what the crop reads; in fast mode as coarsely as the crop's zoom allows.
  const Affine& m = geometry.image_to_input;
  const double zoom = std::sqrt(std::fabs(m.a * m.e - m.b * m.d));
  const int scale_denom = s.decode == DecodeMode::Fast ? coarsest_scale_denom(zoom) : 1;
  thread_local DecodedRegion region;
  decode_jpeg_region(jpeg.data(), jpeg.size(), source_box(input_to_image, s.input_width, s.input_height),
                     scale_denom, region);
  if (region.image_width != record.image_width || region.image_height != record.image_height)
    throw Error(cat("the JPEG is ", region.image_width, "x", region.image_height,
                    " but the record says ", record.image_width, "x", record.image_height));
  warp_normalize(region, input_to_image, s.input_width, s.input_height, s.normalization, image);

  make_targets(transform_joints(record, geometry), s.num_joints, s.sigma, s.heatmap_width,
               s.heatmap_height, s.input_width, s.input_height, targets, weights, nullptr, s.target_center);

  info.record = record_index;
  info.image_id = record.image_id;
  info.center = {static_cast<float>(geometry.center.x), static_cast<float>(geometry.center.y)};
  info.scale = {static_cast<float>(geometry.scale.x), static_cast<float>(geometry.scale.y)};
  info.rotation = static_cast<float>(geometry.rotation_degrees);
  info.flipped = geometry.flipped;
  info.score = record.score;
  info.area = record.area;
  info.decode_scale = region.scale_denom;
}

}  // namespace pose
