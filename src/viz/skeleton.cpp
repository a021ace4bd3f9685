#include "viz/skeleton.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace pose {
namespace {

// COCO's skeleton (the annotation file's "skeleton", 0-based joint indices).
constexpr std::array<std::pair<int, int>, 19> kLimbs = {{{15, 13}, {13, 11}, {16, 14}, {14, 12}, {11, 12},
                                                          {5, 11},  {6, 12},  {5, 6},   {5, 7},   {6, 8},
                                                          {7, 9},   {8, 10},  {1, 2},   {0, 1},   {0, 2},
                                                          {1, 3},   {2, 4},   {3, 5},   {4, 6}}};

enum class Side { Left, Right, Middle };

Side side_of(int joint) { return joint == 0 ? Side::Middle : (joint % 2 == 1 ? Side::Left : Side::Right); }

Rgb color_of(Side side, const PoseStyle& style) {
  return side == Side::Left ? style.left : side == Side::Right ? style.right : style.middle;
}

double alpha_of(double score, const PoseStyle& style) { return score >= style.score_threshold ? 1.0 : style.faded_alpha; }

}  // namespace

double line_radius_for(const Picture& p, const PoseStyle& style) {
  if (style.line_radius > 0) return style.line_radius;
  return std::max(1.0, std::max(p.width, p.height) / 250.0);
}

Rgb joint_color(int joint, const PoseStyle& style) { return color_of(side_of(joint), style); }

void draw_pose(Picture& p, const std::array<double, 51>& keypoints, const PoseStyle& style) {
  const double radius = line_radius_for(p, style);
  auto x = [&](int j) { return keypoints[static_cast<std::size_t>(j) * 3]; };
  auto y = [&](int j) { return keypoints[static_cast<std::size_t>(j) * 3 + 1]; };
  auto score = [&](int j) { return keypoints[static_cast<std::size_t>(j) * 3 + 2]; };
  for (const auto& [a, b] : kLimbs) {
    if (score(a) <= 0 || score(b) <= 0) continue;
    const Side side = side_of(a) == side_of(b) ? side_of(a) : Side::Middle;
    draw_thick_line(p, x(a), y(a), x(b), y(b), radius, color_of(side, style),
                    std::min(alpha_of(score(a), style), alpha_of(score(b), style)));
  }
  // Joints on top of the limbs: a white rim makes them visible on limbs of their own colour.
  for (int j = 0; j < 17; ++j) {
    if (score(j) <= 0) continue;
    const double alpha = alpha_of(score(j), style);
    draw_disc(p, x(j), y(j), radius * 2.2, {255, 255, 255}, alpha);
    draw_disc(p, x(j), y(j), radius * 1.6, joint_color(j, style), alpha);
  }
}

}  // namespace pose
