// A stick figure carrying COCO's 17 keypoints: a random but plausible pose (lean, body and head
// turned towards or away from the camera, swinging arms and legs, bent elbows and knees), and
// its drawing. Every body part is painted under its own owner id, so a joint counts as visible
// only where a part that carries it is on top (a wrist behind the head is occluded).
#pragma once

#include <array>

#include "canvas.h"
#include "data/rng.h"
#include "geometry.h"

namespace pose::synth {

// COCO's keypoints, in COCO order.
enum Joint {
  kNose, kLeftEye, kRightEye, kLeftEar, kRightEar, kLeftShoulder, kRightShoulder, kLeftElbow, kRightElbow,
  kLeftWrist, kRightWrist, kLeftHip, kRightHip, kLeftKnee, kRightKnee, kLeftAnkle, kRightAnkle, kNumJoints
};

// Body parts in drawing order: later parts cover earlier ones.
enum Part {
  kTorso, kLeftThigh, kLeftShin, kRightThigh, kRightShin, kLeftUpperArm, kLeftForearm, kRightUpperArm,
  kRightForearm, kHead, kNumParts
};

struct Figure {
  std::array<Point, kNumJoints> joints{};
  // Face keypoints on the far side of the head: labelled, but never visible.
  std::array<bool, kNumJoints> behind_head{};
  Point head_centre;
  double head_radius = 0;
  double head_angle = 0;  // the head's tilt in the image, radians
  double head_yaw = 0;    // 0 faces the camera, pi faces away
  double limb_radius = 0;
  Color torso{}, skin{}, hair{};
  std::array<Color, 4> limbs{};  // left arm, left leg, right arm, right leg
};

// A figure about `height` pixels tall (head top to ankles when standing), hips at the origin.
Figure sample_figure(Rng& rng, double height);
void move_figure(Figure& figure, Point offset);
// A box that holds every pixel draw_figure() paints.
Box figure_extent(const Figure& figure);
// Paints part p as owner first_owner + p.
void draw_figure(Canvas& canvas, const Figure& figure, int first_owner);
// Whether a pixel painted by `part` shows `joint` (the parts that meet at a joint both do).
bool part_shows_joint(int part, int joint);

}  // namespace pose::synth
