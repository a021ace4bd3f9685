// Affine crop maps, augmentation draws, joint transforms, heatmap targets and flip-back,
// checked against hand-worked values of the reference's rules (docs/reference_behaviour.md sections 2, 3, 6).
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <vector>

#include "data/affine.h"
#include "data/augment.h"
#include "data/targets.h"

namespace pose {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int kInW = 192, kInH = 256, kHmW = 48, kHmH = 64;

void expect_affine_near(const Affine& m, const Affine& expected, double tol) {
  EXPECT_NEAR(m.a, expected.a, tol);
  EXPECT_NEAR(m.b, expected.b, tol);
  EXPECT_NEAR(m.c, expected.c, tol);
  EXPECT_NEAR(m.d, expected.d, tol);
  EXPECT_NEAR(m.e, expected.e, tol);
  EXPECT_NEAR(m.f, expected.f, tol);
}

void expect_point_near(Point2 p, Point2 expected, double tol) {
  EXPECT_NEAR(p.x, expected.x, tol);
  EXPECT_NEAR(p.y, expected.y, tol);
}

// k = W / (200 s_w), A = k [[cos r, sin r], [-sin r, cos r]], t = (W/2, H/2) - A c.
Affine closed_form(Point2 c, Point2 s, double r_deg, int w, int h) {
  const double k = w / (200.0 * s.x), r = r_deg * kPi / 180.0;
  Affine m;
  m.a = k * std::cos(r);
  m.b = k * std::sin(r);
  m.d = -k * std::sin(r);
  m.e = k * std::cos(r);
  m.c = w / 2.0 - (m.a * c.x + m.b * c.y);
  m.f = h / 2.0 - (m.d * c.x + m.e * c.y);
  return m;
}

TEST(Affine, ThreePointConstructionEqualsClosedForm) {
  const struct {
    Point2 c, s;
    double r;
  } cases[] = {{{100, 200}, {1.0, 1.333}, 0},
               {{320.5, 240.25}, {0.8, 1.0667}, 30},
               {{10, 500}, {2.5, 3.333}, -75.3},
               {{0, 0}, {0.05, 0.0667}, 80},
               {{640, 12}, {1.7, 2.2667}, 179}};
  for (const auto& t : cases) {
    SCOPED_TRACE(t.r);
    expect_affine_near(affine_from_box(t.c, t.s, t.r, kInW, kInH),
                       closed_form(t.c, t.s, t.r, kInW, kInH), 1e-9);
    expect_affine_near(affine_from_box(t.c, t.s, t.r, kHmW, kHmH),
                       closed_form(t.c, t.s, t.r, kHmW, kHmH), 1e-9);
  }
}

TEST(Affine, HandWorkedExample) {
  // c = (100, 200), s = (1, 1.333), r = 0: k = 192 / 200 = 0.96, t = (96 - 96, 128 - 192).
  const Affine m = affine_from_box({100, 200}, {1.0, 1.333}, 0, kInW, kInH);
  Affine expected;
  expected.a = expected.e = 0.96;
  expected.c = 0;
  expected.f = -64;
  expect_affine_near(m, expected, 1e-12);
  expect_point_near(m.apply({100, 200}), {96, 128}, 1e-12);
  expect_point_near(m.apply({0, 0}), {0, -64}, 1e-12);
  expect_point_near(m.apply({200, 400}), {192, 320}, 1e-12);
}

TEST(Affine, InverseAndCompose) {
  const Affine m = affine_from_box({321.7, 143.2}, {1.3, 1.7333}, -37, kInW, kInH);
  const Affine inv = m.inverse();
  const Affine shift = closed_form({5, -3}, {0.4, 0.5}, 12, 30, 40);
  for (const Point2 p : {Point2{0, 0}, Point2{12.5, -7}, Point2{640, 480}, Point2{-100, 900}}) {
    expect_point_near(inv.apply(m.apply(p)), p, 1e-9);
    expect_point_near(m.apply(inv.apply(p)), p, 1e-9);
    expect_point_near(compose(m, shift).apply(p), m.apply(shift.apply(p)), 1e-9);
  }
  expect_affine_near(compose(m, inv), Affine{}, 1e-12);
}

TEST(Affine, PositiveRotationTurnsUpTowardsUpperLeft) {
  // s_w = 1: the reference's second source point c + Rot(30)(0, -100) = c + (50, -86.6025)
  // lands half an output width above the output centre, at (96, 32).
  const Point2 c{300, 200};
  const Affine m = affine_from_box(c, {1.0, 1.333}, 30, kInW, kInH);
  expect_point_near(m.apply({350, 200 - 86.60254037844386}), {96, 32}, 1e-9);
  // The point 100 px straight above c: k (-100 sin 30, -100 cos 30) + (96, 128)
  // = (96 - 48, 128 - 83.13843876...), up and to the left.
  expect_point_near(m.apply({300, 100}), {48, 128 - 83.13843876330611}, 1e-9);
}

TEST(Affine, HeatmapBackTransform) {
  const Point2 c{250.5, 180.25}, s{1.2, 1.6};
  expect_point_near(heatmap_to_image({24, 32}, c, s, kHmW, kHmH), c, 1e-12);
  // One heatmap cell is 200 * 1.2 / 48 = 5 image pixels along both axes.
  expect_point_near(heatmap_to_image({25, 30}, c, s, kHmW, kHmH), {255.5, 170.25}, 1e-12);
  // It is the inverse of the crop map at heatmap resolution, and of the input map divided by
  // the stride 4.
  const Affine to_heatmap = affine_from_box(c, s, 0, kHmW, kHmH);
  const Affine to_input = affine_from_box(c, s, 0, kInW, kInH);
  for (const Point2 p : {Point2{0, 0}, Point2{47, 63}, Point2{11.25, 40.5}}) {
    expect_point_near(heatmap_to_image(p, c, s, kHmW, kHmH), to_heatmap.inverse().apply(p), 1e-9);
  }
  for (const Point2 image : {Point2{200, 100}, Point2{310.5, 290}}) {
    const Point2 q = to_input.apply(image);
    expect_point_near(heatmap_to_image({q.x / 4, q.y / 4}, c, s, kHmW, kHmH), image, 1e-9);
  }
}

TEST(Augment, DrawStatistics) {
  Rng rng(12345);
  const AugmentSettings settings;
  const int n = 100000;
  double scale_sum = 0;
  int rotated = 0, flipped = 0, rotation_clipped = 0;
  for (int i = 0; i < n; ++i) {
    const AugmentDraw d = draw_augmentation(rng, settings);
    ASSERT_GE(d.scale_multiplier, 0.7);
    ASSERT_LE(d.scale_multiplier, 1.3);
    ASSERT_GE(d.rotation_degrees, -80.0);
    ASSERT_LE(d.rotation_degrees, 80.0);
    scale_sum += d.scale_multiplier;
    rotated += d.rotation_degrees != 0;
    rotation_clipped += std::abs(d.rotation_degrees) == 80.0;
    flipped += d.flip;
  }
  EXPECT_NEAR(scale_sum / n, 1.0, 0.003);
  EXPECT_NEAR(static_cast<double>(rotated) / n, 0.6, 0.01);
  EXPECT_NEAR(static_cast<double>(flipped) / n, 0.5, 0.01);
  // P(|N(0,1)| > 2) = 0.0455 of the rotated draws are clipped to +-80.
  EXPECT_NEAR(static_cast<double>(rotation_clipped) / rotated, 0.0455, 0.005);
}

TEST(Augment, DrawsAreDeterministicAndIndependentOfTheFlipSetting) {
  AugmentSettings no_flip;
  no_flip.flip = false;
  Rng a(7, 3, 99), b(7, 3, 99), c(7, 3, 99);
  bool any_flip = false;
  for (int i = 0; i < 1000; ++i) {
    const AugmentDraw da = draw_augmentation(a, AugmentSettings{});
    const AugmentDraw db = draw_augmentation(b, AugmentSettings{});
    const AugmentDraw dc = draw_augmentation(c, no_flip);
    EXPECT_EQ(da.scale_multiplier, db.scale_multiplier);
    EXPECT_EQ(da.rotation_degrees, db.rotation_degrees);
    EXPECT_EQ(da.flip, db.flip);
    EXPECT_EQ(da.scale_multiplier, dc.scale_multiplier);
    EXPECT_EQ(da.rotation_degrees, dc.rotation_degrees);
    EXPECT_FALSE(dc.flip);
    any_flip |= da.flip;
  }
  EXPECT_TRUE(any_flip);
  Rng other(8, 3, 99);
  EXPECT_NE(draw_augmentation(other, AugmentSettings{}).scale_multiplier,
            draw_augmentation(a, AugmentSettings{}).scale_multiplier);
}

TEST(Augment, NoRotationWhenProbabilityIsZero) {
  AugmentSettings settings;
  settings.rotation_prob = 0;
  Rng rng(1);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(draw_augmentation(rng, settings).rotation_degrees, 0);
}

PersonRecord test_record() {
  PersonRecord r;
  r.image_width = 640;
  r.image_height = 480;
  r.center = {300, 200};
  r.scale = {1.0f, 1.333f};
  r.joints[0] = {300, 150, 2};  // nose
  r.joints[1] = {310, 140, 2};  // left eye
  r.joints[2] = {290, 141, 1};  // right eye, occluded
  r.joints[3] = {0, 0, 0};      // left ear, unlabelled
  r.joints[4] = {280, 145, 2};  // right ear
  return r;
}

TEST(Augment, GeometryWithoutFlip) {
  const PersonRecord r = test_record();
  const SampleGeometry g = sample_geometry(r, {1.2, -25, false}, kInW, kInH);
  EXPECT_FALSE(g.flipped);
  EXPECT_EQ(g.center.x, 300);
  EXPECT_EQ(g.center.y, 200);
  EXPECT_NEAR(g.scale.x, 1.2, 1e-12);
  EXPECT_NEAR(g.scale.y, 1.333f * 1.2, 1e-12);
  EXPECT_EQ(g.rotation_degrees, -25);
  expect_affine_near(g.image_to_input, affine_from_box({300, 200}, {1.2, 1.6}, -25, kInW, kInH),
                     1e-12);
  expect_affine_near(g.view_to_input, g.image_to_input, 0);

  const InputJoints j = transform_joints(r, g);
  expect_point_near(j.position[1], g.image_to_input.apply({310, 140}), 1e-12);
  expect_point_near(j.position[2], g.image_to_input.apply({290, 141}), 1e-12);
  EXPECT_EQ(j.visibility[1], 1);  // v = 2 -> 1
  EXPECT_EQ(j.visibility[2], 1);
  EXPECT_EQ(j.visibility[3], 0);
  EXPECT_EQ(j.position[3].x, 0);  // unlabelled joints are not transformed
  EXPECT_EQ(j.position[3].y, 0);
}

TEST(Augment, FlipMirrorsCenterAndJointsAndSwapsPairs) {
  const PersonRecord r = test_record();
  const SampleGeometry g = sample_geometry(r, {1.0, 0, true}, kInW, kInH);
  EXPECT_TRUE(g.flipped);
  EXPECT_EQ(g.center.x, 639 - 300);
  EXPECT_EQ(g.center.y, 200);
  const Affine reference = affine_from_box({339, 200}, {1.0, 1.333f}, 0, kInW, kInH);
  expect_affine_near(g.view_to_input, reference, 1e-12);

  const InputJoints j = transform_joints(r, g);
  // Nose: x -> 639 - 300 = 339, the flipped centre's column -> input x 96.
  expect_point_near(j.position[0], reference.apply({339, 150}), 1e-12);
  EXPECT_NEAR(j.position[0].x, 96, 1e-12);
  // Left eye <- mirrored right eye (639 - 290 = 349, vis 1), right eye <- mirrored left eye.
  expect_point_near(j.position[1], reference.apply({349, 141}), 1e-12);
  expect_point_near(j.position[2], reference.apply({329, 140}), 1e-12);
  EXPECT_EQ(j.visibility[1], 1);
  EXPECT_EQ(j.visibility[2], 1);
  // Left ear <- labelled right ear; right ear <- unlabelled left ear: (0, 0), weight 0 (not
  // the mirrored 639).
  expect_point_near(j.position[3], reference.apply({359, 145}), 1e-12);
  EXPECT_EQ(j.visibility[3], 1);
  EXPECT_EQ(j.position[4].x, 0);
  EXPECT_EQ(j.position[4].y, 0);
  EXPECT_EQ(j.visibility[4], 0);
  EXPECT_EQ(j.visibility[5], 0);
  EXPECT_EQ(j.position[5].x, 0);
  // The combined map on original pixels = the partner joint's original position.
  expect_point_near(j.position[1], g.image_to_input.apply({290, 141}), 1e-9);
}

TEST(Augment, CombinedAffineIsMirrorThenReferenceAffine) {
  const PersonRecord r = test_record();
  const SampleGeometry g = sample_geometry(r, {0.85, 33, true}, kInW, kInH);
  const Affine reference =
      affine_from_box({639 - 300.0, 200}, {0.85, 1.333f * 0.85}, 33, kInW, kInH);
  for (const Point2 p : {Point2{0, 0}, Point2{639, 479}, Point2{300, 200}, Point2{17.5, 401}}) {
    expect_point_near(g.image_to_input.apply(p), reference.apply({639 - p.x, p.y}), 1e-9);
  }
  // The original centre lands at the input centre.
  expect_point_near(g.image_to_input.apply({300, 200}), {96, 128}, 1e-9);
}

TEST(Augment, FlipPartners) {
  EXPECT_EQ(flip_partner(0), 0);
  EXPECT_EQ(flip_partner(1), 2);
  EXPECT_EQ(flip_partner(2), 1);
  EXPECT_EQ(flip_partner(15), 16);
  EXPECT_EQ(flip_partner(16), 15);
}

// flipped[y][x][k] = 1000 y + 100 x + k on a 2 x 3 x 17 heatmap.
std::vector<float> numbered_heatmaps(int h, int w) {
  std::vector<float> v(static_cast<std::size_t>(h) * w * kCocoJoints);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int k = 0; k < kCocoJoints; ++k)
        v[(y * w + x) * kCocoJoints + k] = 1000 * y + 100 * x + k;
  return v;
}

float at(const std::vector<float>& v, int w, int y, int x, int k) {
  return v[(y * w + x) * kCocoJoints + k];
}

TEST(Augment, FlipBackHeatmapsWithoutShift) {
  const std::vector<float> in = numbered_heatmaps(2, 3);
  std::vector<float> out(in.size());
  flip_back_heatmaps(in.data(), 2, 3, 0.0, out.data());
  EXPECT_EQ(at(out, 3, 0, 0, 0), 200);    // column 2, nose stays
  EXPECT_EQ(at(out, 3, 0, 0, 1), 202);    // left eye <- right eye of column 2
  EXPECT_EQ(at(out, 3, 0, 1, 5), 106);    // middle column stays; shoulders swap
  EXPECT_EQ(at(out, 3, 1, 2, 16), 1015);  // column 0, right ankle -> left ankle
  EXPECT_EQ(at(out, 3, 1, 2, 0), 1000);
}

TEST(Augment, FlipBackHeatmapsWithShift) {
  const std::vector<float> in = numbered_heatmaps(2, 3);
  std::vector<float> out(in.size());
  flip_back_heatmaps(in.data(), 2, 3, 1.0, out.data());
  // Mirrored columns are (2, 1, 0); shifted right with column 0 kept: (2, 2, 1).
  EXPECT_EQ(at(out, 3, 0, 0, 0), 200);
  EXPECT_EQ(at(out, 3, 0, 1, 0), 200);
  EXPECT_EQ(at(out, 3, 0, 2, 0), 100);
  EXPECT_EQ(at(out, 3, 0, 1, 1), 202);
  EXPECT_EQ(at(out, 3, 1, 2, 3), 1104);
  EXPECT_EQ(at(out, 3, 1, 0, 14), 1213);
}

TEST(Augment, FlipBackHeatmapsWithAFractionalShiftInterpolatesColumns) {
  const std::vector<float> in = numbered_heatmaps(2, 3);
  std::vector<float> out(in.size()), none(in.size()), whole(in.size());
  flip_back_heatmaps(in.data(), 2, 3, 0.75, out.data());
  flip_back_heatmaps(in.data(), 2, 3, 0.0, none.data());
  flip_back_heatmaps(in.data(), 2, 3, 1.0, whole.data());
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_FLOAT_EQ(out[i], 0.25f * none[i] + 0.75f * whole[i]) << i;
  EXPECT_FLOAT_EQ(at(out, 3, 0, 2, 0), 0.25f * 0 + 0.75f * 100);  // mirrored columns 0 and 1
}

// Targets for sigma 2 on the 48 x 64 heatmap of a 192 x 256 input.
struct Targets {
  std::vector<float> heatmaps = std::vector<float>(kHmW * kHmH * kCocoJoints, -1.0f);
  std::vector<float> weights = std::vector<float>(kCocoJoints, -1.0f);
  float at(int y, int x, int k) const { return heatmaps[(y * kHmW + x) * kCocoJoints + k]; }
  double channel_sum(int k) const {
    double sum = 0;
    for (int y = 0; y < kHmH; ++y)
      for (int x = 0; x < kHmW; ++x) sum += at(y, x, k);
    return sum;
  }
};

Targets targets_for(const InputJoints& joints, const float* joint_weights = nullptr) {
  Targets t;
  make_targets(joints, kCocoJoints, 2.0f, kHmW, kHmH, kInW, kInH, t.heatmaps.data(),
               t.weights.data(), joint_weights);
  return t;
}

InputJoints one_joint(int k, double x, double y, float visibility = 1) {
  InputJoints j;
  j.position[k] = {x, y};
  j.visibility[k] = visibility;
  return j;
}

// sum_{i = lo..hi} exp(-i^2 / 8)
double gauss_sum(int lo, int hi) {
  double s = 0;
  for (int i = lo; i <= hi; ++i) s += std::exp(-i * i / 8.0);
  return s;
}

TEST(Targets, InteriorJoint) {
  // x / 4 + 0.5 = 20.975 -> mu_x = 20; y / 4 + 0.5 = 30.5 -> mu_y = 30.
  const Targets t = targets_for(one_joint(7, 81.9, 120.0));
  EXPECT_EQ(t.weights[7], 1);
  EXPECT_EQ(t.at(30, 20, 7), 1.0f);
  EXPECT_FLOAT_EQ(t.at(30, 21, 7), std::exp(-1.0f / 8));
  EXPECT_FLOAT_EQ(t.at(29, 20, 7), std::exp(-1.0f / 8));
  EXPECT_FLOAT_EQ(t.at(31, 21, 7), std::exp(-2.0f / 8));
  EXPECT_FLOAT_EQ(t.at(30, 26, 7), std::exp(-36.0f / 8));
  EXPECT_FLOAT_EQ(t.at(24, 14, 7), std::exp(-72.0f / 8));
  EXPECT_EQ(t.at(30, 27, 7), 0);  // outside the 13 x 13 window
  EXPECT_EQ(t.at(23, 20, 7), 0);
  EXPECT_NEAR(t.channel_sum(7), gauss_sum(-6, 6) * gauss_sum(-6, 6), 1e-5);
  for (int k = 0; k < kCocoJoints; ++k) {
    if (k == 7) continue;
    EXPECT_EQ(t.weights[k], 0);
    EXPECT_EQ(t.channel_sum(k), 0);
  }
}

TEST(Targets, ExactCenterPutsTheGaussianOnTheJointWithTheSameWindowAndWeight) {
  // x / 4 = 20.475, y / 4 = 30.0: the same window as the rounded target (cells 14..26 x 24..36).
  const InputJoints j = one_joint(7, 81.9, 120.0);
  Targets t;
  make_targets(j, kCocoJoints, 2.0f, kHmW, kHmH, kInW, kInH, t.heatmaps.data(), t.weights.data(), nullptr,
               TargetCenter::Exact);
  EXPECT_EQ(t.weights[7], 1);
  EXPECT_FLOAT_EQ(t.at(30, 20, 7), std::exp(-0.475f * 0.475f / 8));
  EXPECT_FLOAT_EQ(t.at(30, 21, 7), std::exp(-0.525f * 0.525f / 8));
  EXPECT_FLOAT_EQ(t.at(31, 26, 7), std::exp(-(5.525f * 5.525f + 1) / 8));
  EXPECT_FLOAT_EQ(t.at(24, 14, 7), std::exp(-(6.475f * 6.475f + 36) / 8));
  EXPECT_EQ(t.at(30, 27, 7), 0);  // outside the window
  EXPECT_EQ(t.at(30, 13, 7), 0);
  EXPECT_GT(t.at(30, 20, 7), t.at(30, 21, 7));  // the larger cell is the one nearer the joint
}

TEST(Targets, RoundedTargetOffsetSaysWhereTheReferenceWindowPutsThePeak) {
  EXPECT_EQ(rounded_target_offset(2.0f), 0);
  EXPECT_EQ(rounded_target_offset(1.5f), 0);
  EXPECT_EQ(rounded_target_offset(1.0f), 0);
  EXPECT_EQ(rounded_target_offset(0.5f), 0);
  EXPECT_EQ(rounded_target_offset(0.75f), -1);
  EXPECT_EQ(rounded_target_offset(1.75f), -1);
  for (float sigma : {0.5f, 0.75f, 1.0f, 1.5f, 1.75f, 2.0f}) {
    // Joint at cell (20, 30) exactly: the largest target cell is mu + offset on both axes.
    Targets t;
    make_targets(one_joint(3, 80.0, 120.0), kCocoJoints, sigma, kHmW, kHmH, kInW, kInH, t.heatmaps.data(),
                 t.weights.data());
    const int at = rounded_target_offset(sigma);
    EXPECT_EQ(t.at(30 + at, 20 + at, 3), 1.0f) << sigma;
  }
}

TEST(Targets, JointNearTheBorderIsClipped) {
  // mu = (int(1.0), int(63.0)) = (1, 63): window columns [-5, 8) -> [0, 8),
  // rows [57, 70) -> [57, 64).
  const Targets t = targets_for(one_joint(0, 2.0, 250.0));
  EXPECT_EQ(t.weights[0], 1);
  EXPECT_EQ(t.at(63, 1, 0), 1.0f);
  EXPECT_FLOAT_EQ(t.at(63, 0, 0), std::exp(-1.0f / 8));
  EXPECT_FLOAT_EQ(t.at(57, 7, 0), std::exp(-72.0f / 8));
  EXPECT_NEAR(t.channel_sum(0), gauss_sum(-1, 6) * gauss_sum(-6, 0), 1e-5);
}

TEST(Targets, InvisibleJointHasZeroChannelAndWeight) {
  const Targets t = targets_for(one_joint(3, 81.9, 120.0, 0));
  EXPECT_EQ(t.weights[3], 0);
  EXPECT_EQ(t.channel_sum(3), 0);
}

TEST(Targets, OutOfRangeJointsGetWeightZero) {
  // mu_x = 75: ul = 69 >= 48.
  Targets t = targets_for(one_joint(2, 300, 120));
  EXPECT_EQ(t.weights[2], 0);
  EXPECT_EQ(t.channel_sum(2), 0);
  // mu_y = int(-9.5 + 0.5) = -9: br = -2 < 0.
  t = targets_for(one_joint(2, 80, -38));
  EXPECT_EQ(t.weights[2], 0);
  EXPECT_EQ(t.channel_sum(2), 0);
  // mu_x = -8: br = -1 < 0.
  t = targets_for(one_joint(2, -34, 120));
  EXPECT_EQ(t.weights[2], 0);
  // mu_x = 53: ul = 47 is the last column, which gets the window's left edge.
  t = targets_for(one_joint(2, 210, 120));
  EXPECT_EQ(t.weights[2], 1);
  EXPECT_FLOAT_EQ(t.at(30, 47, 2), std::exp(-36.0f / 8));
  EXPECT_NEAR(t.channel_sum(2), std::exp(-36.0 / 8) * gauss_sum(-6, 6), 1e-6);
  // A non-finite position is out of range.
  t = targets_for(one_joint(2, std::nan(""), 120));
  EXPECT_EQ(t.weights[2], 0);
  EXPECT_EQ(t.channel_sum(2), 0);
}

TEST(Targets, MuMinusSevenKeepsWeightButDrawsNothing) {
  // x / 4 + 0.5 = -7 -> mu_x = -7: br = 0 is not < 0, the clipped window is empty.
  const Targets t = targets_for(one_joint(9, -30, 120));
  EXPECT_EQ(t.weights[9], 1);
  EXPECT_EQ(t.channel_sum(9), 0);
}

TEST(Targets, NegativeValuesTruncateTowardZero) {
  // x = -0.6 * 4: int(-0.6 + 0.5) = int(-0.1) = 0 (floor would give -1).
  const Targets t = targets_for(one_joint(4, -0.6 * 4, 120));
  EXPECT_EQ(t.weights[4], 1);
  EXPECT_EQ(t.at(30, 0, 4), 1.0f);
  EXPECT_NEAR(t.channel_sum(4), gauss_sum(0, 6) * gauss_sum(-6, 6), 1e-5);
}

TEST(Targets, JointWeightsMultiplyVisibleInRangeJoints) {
  InputJoints j = one_joint(9, 80, 120);
  j.position[10] = {300, 120};  // out of range
  j.visibility[10] = 1;
  std::vector<float> joint_weights(kCocoJoints, 1.0f);
  joint_weights[9] = 1.5f;
  joint_weights[10] = 1.5f;
  const Targets t = targets_for(j, joint_weights.data());
  EXPECT_EQ(t.weights[9], 1.5f);
  EXPECT_EQ(t.weights[10], 0);
  EXPECT_EQ(t.at(30, 20, 9), 1.0f);  // the heatmap itself is not weighted
}

TEST(Targets, FewerJointsThanCoco) {
  std::vector<float> heatmaps(kHmW * kHmH * 5, -1.0f), weights(5, -1.0f);
  make_targets(one_joint(4, 80, 120), 5, 2.0f, kHmW, kHmH, kInW, kInH, heatmaps.data(),
               weights.data());
  EXPECT_EQ(weights[4], 1);
  EXPECT_EQ(heatmaps[(30 * kHmW + 20) * 5 + 4], 1.0f);  // NHWC with 5 channels
  EXPECT_EQ(heatmaps[(30 * kHmW + 20) * 5 + 3], 0.0f);
}

}  // namespace
}  // namespace pose
