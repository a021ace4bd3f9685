// Drawing COCO poses: the 17 joints as discs and the 19 limbs of COCO's skeleton as thick
// lines, the person's left side in one colour, the right in another and the middle (nose to
// eyes, shoulder and hip bars) in a third. Joints scoring below a threshold (and limbs with
// such an end) are drawn faded, so a confident pose stands out from guesses.
#pragma once

#include <array>

#include "viz/picture.h"

namespace pose {

struct PoseStyle {
  Rgb left{255, 140, 0};    // orange
  Rgb right{30, 144, 255};  // blue
  Rgb middle{50, 205, 50};  // green
  double score_threshold = 0.2;  // joints scoring less are drawn at faded_alpha
  double faded_alpha = 0.25;
  double line_radius = 0;  // 0: from the picture size (about 1/250 of its larger side, >= 1)
};

// The picture-dependent sizes of a style: line radius and joint radius.
double line_radius_for(const Picture& p, const PoseStyle& style);

// Draws one pose; keypoints are 17 (x, y, score) triples in the picture's pixels. Joints with
// score <= 0 (unlabelled ground truth) are not drawn, nor limbs touching them.
void draw_pose(Picture& p, const std::array<double, 51>& keypoints, const PoseStyle& style);

// The side colour of joint j (0 nose, odd left, even right), as draw_pose uses it.
Rgb joint_color(int joint, const PoseStyle& style);

}  // namespace pose
