// One training or validation sample: a person in an image, in the reference's terms
// (docs/reference_behaviour.md section 1). A record is what the preprocessor writes to a shard's instance
// table and what the loader reads back.
#pragma once

#include <array>
#include <cstdint>

namespace pose {

constexpr int kCocoJoints = 17;
constexpr float kPixelStd = 200.0f;  // scale = box size / kPixelStd

// The 8 left/right joint pairs of COCO (eyes, ears, shoulders, elbows, wrists, hips, knees,
// ankles); the nose (0) has no partner. A horizontal flip swaps each pair.
constexpr std::array<std::array<int, 2>, 8> kCocoFlipPairs = {
    {{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}, {11, 12}, {13, 14}, {15, 16}}};

struct Joint {
  float x = 0;
  float y = 0;
  float visibility = 0;  // COCO's v: 0 unlabelled, 1 labelled but occluded, 2 visible
};

struct PersonRecord {
  std::int64_t image_id = 0;
  std::int64_t annotation_id = -1;  // -1 for detector boxes
  std::int32_t image_width = 0;
  std::int32_t image_height = 0;
  std::array<float, 2> center{};  // (x, y) in image pixels
  std::array<float, 2> scale{};   // (w, h) / kPixelStd, aspect-fixed and enlarged 1.25x
  std::array<float, 4> box{};     // [x, y, w, h]: the clean GT box, or the raw detector box
  float area = 0;                 // GT: the annotation's area; detector box: w * h
  float score = 1;                // GT: 1; detector box: its score
  std::array<Joint, kCocoJoints> joints{};  // all zero for detector boxes
};

}  // namespace pose
