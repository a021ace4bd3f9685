// The pose drawing of src/viz: left limbs in the left colour, right limbs in the right colour,
// low-score joints faded, unlabelled joints (score 0) and their limbs not drawn, and a
// normalised network input turned back into the RGB it came from.
#include <gtest/gtest.h>

#include "data/warp.h"
#include "viz/network_input.h"
#include "viz/skeleton.h"

namespace pose {
namespace {

Rgb pixel(const Picture& p, int x, int y) {
  const std::uint8_t* px = p.rgb.data() + (static_cast<std::size_t>(y) * p.width + x) * 3;
  return {px[0], px[1], px[2]};
}

// A pose with only the given joints labelled.
std::array<double, 51> pose_with(std::initializer_list<std::array<double, 4>> joints) {
  std::array<double, 51> k{};
  for (const auto& [j, x, y, s] : joints) {
    k[static_cast<std::size_t>(j) * 3] = x;
    k[static_cast<std::size_t>(j) * 3 + 1] = y;
    k[static_cast<std::size_t>(j) * 3 + 2] = s;
  }
  return k;
}

TEST(SkeletonDrawing, LeftAndRightLimbsHaveTheirColours) {
  Picture p(200, 200);
  const PoseStyle style;
  // Left shoulder (5) -> left elbow (7) on the left half, right shoulder (6) -> right elbow (8).
  draw_pose(p, pose_with({{5, 40, 20, 1}, {7, 40, 180, 1}, {6, 160, 20, 1}, {8, 160, 180, 1}}), style);
  EXPECT_EQ(pixel(p, 40, 100), style.left);
  EXPECT_EQ(pixel(p, 160, 100), style.right);
  // The shoulder bar (5-6) joins the two sides: the middle colour.
  EXPECT_EQ(pixel(p, 100, 20), style.middle);
  EXPECT_EQ(pixel(p, 100, 100), (Rgb{0, 0, 0})) << "nothing drawn between the limbs";
}

TEST(SkeletonDrawing, LowScoresFadeAndZeroScoresAreNotDrawn) {
  Picture p(200, 200);
  PoseStyle style;
  style.score_threshold = 0.5;
  // A confident left forearm (7-9) and a doubtful right one (8-10); the left hip (11) is
  // unlabelled, so the left thigh (11-13) is not drawn.
  draw_pose(p, pose_with({{7, 40, 20, 0.9}, {9, 40, 180, 0.9}, {8, 160, 20, 0.9}, {10, 160, 180, 0.3},
                          {11, 100, 20, 0}, {13, 100, 180, 0.9}}),
            style);
  EXPECT_EQ(pixel(p, 40, 100), style.left);
  const Rgb faded = pixel(p, 160, 100);
  for (int c = 0; c < 3; ++c)
    EXPECT_NEAR(faded[c], style.faded_alpha * style.right[c], 1.0) << "channel " << c;
  EXPECT_EQ(pixel(p, 100, 100), (Rgb{0, 0, 0}));
}

TEST(NetworkInputPicture, DenormalizeUndoesTheNormalisationInEitherColourOrder) {
  for (const ColorOrder order : {ColorOrder::RGB, ColorOrder::BGR}) {
    Normalization norm;
    norm.order = order;
    const Rgb want{200, 100, 30};
    float stored[3];
    for (int c = 0; c < 3; ++c) {
      const int source = order == ColorOrder::BGR ? 2 - c : c;  // BGR stores blue first
      stored[c] = (want[static_cast<std::size_t>(source)] / 255.0f - norm.mean[c]) / norm.std[c];
    }
    const Picture p = denormalize(stored, 1, 1, norm);
    EXPECT_EQ(pixel(p, 0, 0), want) << (order == ColorOrder::BGR ? "bgr" : "rgb");
  }
}

}  // namespace
}  // namespace pose
