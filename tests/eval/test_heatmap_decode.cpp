// Heatmap decoding on hand-made maps: first argmax, maxval <= 0, padded channels, the sign and
// the bounds of the quarter-cell refinement, the Taylor refinement on sampled Gaussians, and
// the way back to image pixels.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "eval/heatmap_decode.h"
#include "heatmap_builder.h"

namespace pose {
namespace {

using test::Heatmaps;

std::vector<HeatmapPeak> peaks_of(const Heatmaps& h, int joints, bool refine) {
  std::vector<HeatmapPeak> peaks(std::size_t(h.batch) * joints);
  find_heatmap_peaks(h.view(), joints, peaks.data());
  if (refine) refine_heatmap_peaks(h.view(), joints, peaks.data());
  return peaks;
}

TEST(HeatmapPeaks, FirstMaximumInRowMajorOrder) {
  Heatmaps h(1, 6, 8, 1);
  h.set(0, 4, 1, 0, 0.7f);
  h.set(0, 2, 5, 0, 0.7f);  // same value, earlier in row-major order: wins
  h.set(0, 3, 2, 0, 0.3f);
  const auto p = peaks_of(h, 1, false);
  EXPECT_EQ(p[0].x, 5);
  EXPECT_EQ(p[0].y, 2);
  EXPECT_EQ(p[0].maxval, 0.7f);
}

TEST(HeatmapPeaks, NonPositiveMaximumGivesTheOrigin) {
  Heatmaps h(1, 6, 8, 2);
  for (int y = 0; y < 6; ++y)
    for (int x = 0; x < 8; ++x) h.set(0, y, x, 0, -1.0f);
  h.set(0, 3, 4, 0, -0.25f);  // the maximum, but negative
  const auto p = peaks_of(h, 2, false);
  EXPECT_EQ(p[0].x, 0);
  EXPECT_EQ(p[0].y, 0);
  EXPECT_EQ(p[0].maxval, -0.25f);
  EXPECT_EQ(p[1].x, 0);  // all zero: maximum 0 is not > 0
  EXPECT_EQ(p[1].y, 0);
  EXPECT_EQ(p[1].maxval, 0.0f);
}

TEST(HeatmapPeaks, NanCountsAsTheMaximum) {
  Heatmaps h(1, 6, 8, 1);
  h.set(0, 1, 1, 0, 5.0f);
  h.set(0, 2, 2, 0, std::numeric_limits<float>::quiet_NaN());
  const auto p = peaks_of(h, 1, false);
  EXPECT_TRUE(std::isnan(p[0].maxval));
  EXPECT_EQ(p[0].x, 0);
  EXPECT_EQ(p[0].y, 0);
}

TEST(HeatmapPeaks, PaddedChannelsAreNotRead) {
  // 2 joints in 8 channels (NHWC padding); the padding holds larger values that must not leak.
  Heatmaps h(2, 6, 8, 8);
  for (int n = 0; n < 2; ++n)
    for (int c = 2; c < 8; ++c) h.set(n, 5, 7, c, 100.0f);
  h.set(0, 1, 2, 0, 0.5f);
  h.set(0, 4, 6, 1, 0.6f);
  h.set(1, 3, 3, 0, 0.9f);
  h.set(1, 2, 7, 1, 0.1f);
  const auto p = peaks_of(h, 2, false);
  EXPECT_EQ(p[0].x, 2);
  EXPECT_EQ(p[0].y, 1);
  EXPECT_EQ(p[1].x, 6);
  EXPECT_EQ(p[1].y, 4);
  EXPECT_EQ(p[2].x, 3);
  EXPECT_EQ(p[2].y, 3);
  EXPECT_EQ(p[3].x, 7);
  EXPECT_EQ(p[3].y, 2);
  EXPECT_EQ(p[3].maxval, 0.1f);
}

// A peak at (x, y) on an 8 x 6 map with chosen right/left and down/up neighbours.
HeatmapPeak refined(int x, int y, float left, float right, float up, float down) {
  Heatmaps h(1, 6, 8, 1);
  h.set(0, y, x, 0, 1.0f);
  if (x > 0) h.set(0, y, x - 1, 0, left);
  if (x < 7) h.set(0, y, x + 1, 0, right);
  if (y > 0) h.set(0, y - 1, x, 0, up);
  if (y < 5) h.set(0, y + 1, x, 0, down);
  return peaks_of(h, 1, true)[0];
}

TEST(HeatmapRefine, MovesAQuarterCellTowardsTheHigherNeighbour) {
  const HeatmapPeak right_down = refined(3, 2, 0.2f, 0.6f, 0.1f, 0.5f);
  EXPECT_EQ(right_down.x, 3.25);
  EXPECT_EQ(right_down.y, 2.25);
  const HeatmapPeak left_up = refined(3, 2, 0.6f, 0.2f, 0.5f, 0.1f);
  EXPECT_EQ(left_up.x, 2.75);
  EXPECT_EQ(left_up.y, 1.75);
  const HeatmapPeak level = refined(3, 2, 0.4f, 0.4f, 0.3f, 0.3f);
  EXPECT_EQ(level.x, 3.0);
  EXPECT_EQ(level.y, 2.0);
}

TEST(HeatmapRefine, OnlyStrictlyInsideOnBothAxes) {
  // 1 < px < 7 and 1 < py < 5 on an 8 x 6 map; failing either axis leaves both unchanged.
  EXPECT_EQ(refined(2, 2, 0, 0.5f, 0, 0.5f).x, 2.25);  // lowest allowed px
  EXPECT_EQ(refined(6, 2, 0, 0.5f, 0, 0.5f).x, 6.25);  // highest allowed px (W - 2)
  EXPECT_EQ(refined(6, 4, 0, 0.5f, 0, 0.5f).y, 4.25);  // highest allowed py (H - 2)
  const HeatmapPeak left_edge = refined(1, 2, 0, 0.5f, 0, 0.5f);
  EXPECT_EQ(left_edge.x, 1.0);
  EXPECT_EQ(left_edge.y, 2.0);  // y inside, but the joint test fails
  const HeatmapPeak right_edge = refined(7, 3, 0.5f, 0, 0, 0.5f);
  EXPECT_EQ(right_edge.x, 7.0);
  EXPECT_EQ(right_edge.y, 3.0);
  const HeatmapPeak top_edge = refined(3, 1, 0, 0.5f, 0, 0.5f);
  EXPECT_EQ(top_edge.x, 3.0);  // x inside, but py = 1
  EXPECT_EQ(refined(3, 5, 0, 0.5f, 0.5f, 0).x, 3.0);
}

// A sampled Gaussian centred at (cx, cy) on a 24 x 32 map (channel 0 of one sample).
Heatmaps gaussian_map(double cx, double cy, double sigma) {
  Heatmaps h(1, 32, 24, 1);
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 24; ++x)
      h.set(0, y, x, 0, static_cast<float>(std::exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2 * sigma * sigma))));
  return h;
}

HeatmapPeak taylor_refined(const Heatmaps& h, double sigma) {
  std::vector<HeatmapPeak> p = peaks_of(h, 1, false);
  refine_heatmap_peaks_taylor(h.view(), 1, sigma, p.data());
  return p[0];
}

TEST(HeatmapRefineTaylor, LandsOnTheCentreOfAGaussianBetweenPixels) {
  for (const auto& [cx, cy] : {std::pair{10.3, 17.8}, std::pair{11.5, 16.45}, std::pair{12.0, 20.0}, std::pair{6.9, 7.2}}) {
    const HeatmapPeak p = taylor_refined(gaussian_map(cx, cy, 1.5), 1.5);
    EXPECT_NEAR(p.x, cx, 2e-3) << cx << "," << cy;  // float heatmaps
    EXPECT_NEAR(p.y, cy, 2e-3) << cx << "," << cy;
  }
  // Nearer the border than the smoothing reaches, the repeated edge pulls the peak a little.
  const HeatmapPeak p = taylor_refined(gaussian_map(2.2, 3.7, 1.5), 1.5);
  EXPECT_NEAR(p.x, 2.2, 0.15);
  EXPECT_NEAR(p.y, 3.7, 0.15);
}

TEST(HeatmapRefineTaylor, NoisyPeaksStillMoveTowardsTheCentre) {
  Heatmaps h = gaussian_map(9.35, 14.7, 1.5);
  h.set(0, 14, 10, 0, 0.2f);  // a dent right of the peak cell (9, 15)
  const HeatmapPeak p = taylor_refined(h, 1.5);
  EXPECT_NEAR(p.x, 9.35, 0.3);
  EXPECT_NEAR(p.y, 14.7, 0.3);
}

TEST(HeatmapRefineTaylor, FallsBackToTheQuarterRuleAtTheBorderAndOffAMaximum) {
  // The peak cell on the border: the quarter rule, which leaves border peaks alone.
  const HeatmapPeak border = taylor_refined(gaussian_map(0.2, 10.4, 1.5), 1.5);
  EXPECT_EQ(border.x, 0.0);
  EXPECT_EQ(border.y, 10.0);
  // A saddle-like peak (a diagonal ridge: the Hessian is not negative definite): the quarter
  // rule's answer, here a quarter cell right.
  Heatmaps ridge(1, 6, 8, 1);
  ridge.set(0, 2, 3, 0, 1.0f);
  ridge.set(0, 3, 4, 0, 0.99f);
  ridge.set(0, 1, 2, 0, 0.99f);
  ridge.set(0, 1, 4, 0, 0.3f);
  ridge.set(0, 3, 2, 0, 0.3f);
  ridge.set(0, 2, 2, 0, 0.8f);
  ridge.set(0, 2, 4, 0, 0.85f);
  ridge.set(0, 1, 3, 0, 0.8f);
  ridge.set(0, 3, 3, 0, 0.8f);
  const HeatmapPeak p = taylor_refined(ridge, 1e-3);  // smoothing this narrow changes nothing
  EXPECT_EQ(p.x, 3.25);
  EXPECT_EQ(p.y, 2.0);
}

TEST(HeatmapToImage, FollowsTheFormula) {
  // 48 x 64 maps, box 240 x 320 px: 5 px per cell on both axes.
  const std::array<double, 2> c = {100, 200}, s = {1.2, 1.6};
  const auto centre = heatmap_to_image(24, 32, c, s, 48, 64);
  EXPECT_DOUBLE_EQ(centre[0], 100);
  EXPECT_DOUBLE_EQ(centre[1], 200);
  const auto corner = heatmap_to_image(0, 0, c, s, 48, 64);
  EXPECT_DOUBLE_EQ(corner[0], 100 - 24 * 5);
  EXPECT_DOUBLE_EQ(corner[1], 200 - 32 * 5);
  // Any map size, unequal cells: 40 x 30 map of a 200 x 600 box: 5 px wide, 20 px high.
  const auto p = heatmap_to_image(10.25, 3.75, {50, 60}, {1.0, 3.0}, 40, 30);
  EXPECT_DOUBLE_EQ(p[0], 50 + (10.25 - 20) * 5);
  EXPECT_DOUBLE_EQ(p[1], 60 + (3.75 - 15) * 20);
}

TEST(DecodeHeatmaps, PeaksRefinedAndMappedPerSample) {
  Heatmaps h(2, 6, 8, 2);
  h.set(0, 2, 3, 0, 0.9f);
  h.set(0, 2, 4, 0, 0.5f);  // right neighbour higher: x + 0.25
  h.set(1, 0, 0, 1, 0.4f);  // at the corner: no refinement
  const std::array<double, 2> centers[2] = {{100, 100}, {300, 200}};
  const std::array<double, 2> scales[2] = {{0.4, 0.3}, {0.8, 0.6}};  // 10 and 20 px per cell
  std::vector<double> k(2 * 2 * 3);
  decode_heatmaps(h.view(), 2, centers, scales, PeakRefine{PeakRefine::Quarter}, k.data());
  EXPECT_DOUBLE_EQ(k[0], 100 + (3.25 - 4) * 10);
  EXPECT_DOUBLE_EQ(k[1], 100 + (2 - 3) * 10);
  EXPECT_FLOAT_EQ(k[2], 0.9f);
  EXPECT_DOUBLE_EQ(k[9], 300 + (0 - 4) * 20);  // sample 1, joint 1
  EXPECT_DOUBLE_EQ(k[10], 200 + (0 - 3) * 20);
  EXPECT_FLOAT_EQ(k[11], 0.4f);
  decode_heatmaps(h.view(), 2, centers, scales, PeakRefine{PeakRefine::None}, k.data());
  EXPECT_DOUBLE_EQ(k[0], 100 + (3 - 4) * 10);  // no refinement when post-processing is off
}

}  // namespace
}  // namespace pose
