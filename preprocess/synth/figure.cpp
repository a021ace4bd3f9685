#include "figure.h"

#include <cmath>

#include "colors.h"

namespace pose::synth {
namespace {

constexpr double kPi = 3.14159265358979323846;

double uniform(Rng& rng, double lo, double hi) { return lo + (hi - lo) * rng.uniform(); }

struct Bone {
  Joint from, to;
  Part part;
  int color;  // index into Figure::limbs
};

// Legs before arms, as in Part's drawing order.
constexpr Bone kBones[] = {
    {kLeftHip, kLeftKnee, kLeftThigh, 1},          {kLeftKnee, kLeftAnkle, kLeftShin, 1},
    {kRightHip, kRightKnee, kRightThigh, 3},       {kRightKnee, kRightAnkle, kRightShin, 3},
    {kLeftShoulder, kLeftElbow, kLeftUpperArm, 0}, {kLeftElbow, kLeftWrist, kLeftForearm, 0},
    {kRightShoulder, kRightElbow, kRightUpperArm, 2}, {kRightElbow, kRightWrist, kRightForearm, 2},
};

// A face keypoint on the head's circle: azimuth 0 is the nose, +pi/2 the left ear; `lift` is
// the height on the head in head radii. It is seen while cos(azimuth + yaw) > min_cos.
struct FaceFeature {
  Joint joint;
  double azimuth, lift, min_cos;
};
constexpr FaceFeature kFace[] = {
    {kNose, 0, -0.15, 0.1},          {kLeftEye, 0.5, 0.2, 0.1},       {kRightEye, -0.5, 0.2, 0.1},
    {kLeftEar, kPi / 2, 0.0, -0.35}, {kRightEar, -kPi / 2, 0.0, -0.35},
};

// A segment's on-screen length: now and then shortened, as a limb pointing at the camera is.
double foreshortened(Rng& rng, double length) { return rng.uniform() < 0.2 ? length * uniform(rng, 0.6, 1.0) : length; }

void sample_side(Rng& rng, Figure& f, Side side, Point shoulders, Point up, Point across, double facing,
                 double height) {
  const bool left = side == Side::kLeft;
  const double sign = left ? 1 : -1;
  // Image direction of this side's outside; a figure facing away has its left on the image's left.
  const Point out = across * (facing > 0 ? sign : -sign);
  const Point down = up * -1;
  // Limb angles are measured from straight down, positive swinging away from the body.
  auto direction = [&](double angle) { return down * std::cos(angle) + out * std::sin(angle); };
  const Point shoulder = shoulders + across * (sign * facing * 0.11 * height);
  const Point hip = across * (sign * facing * 0.07 * height);
  const double arm = uniform(rng, -0.5, 2.9);
  const double elbow = rng.uniform() < 0.3 ? uniform(rng, -2.0, 0.0) : uniform(rng, 0.0, 2.3);
  const double leg = rng.uniform() < 0.25 ? uniform(rng, -0.3, 1.4) : uniform(rng, -0.2, 0.5);
  const double knee = (rng.uniform() < 0.5 ? 1 : -1) * (rng.uniform() < 0.3 ? uniform(rng, 0, 1.5) : uniform(rng, 0, 0.3));
  const Point elbow_at = shoulder + direction(arm) * foreshortened(rng, 0.17 * height);
  const Point knee_at = hip + direction(leg) * foreshortened(rng, 0.245 * height);
  f.joints[left ? kLeftShoulder : kRightShoulder] = shoulder;
  f.joints[left ? kLeftElbow : kRightElbow] = elbow_at;
  f.joints[left ? kLeftWrist : kRightWrist] = elbow_at + direction(arm + elbow) * foreshortened(rng, 0.15 * height);
  f.joints[left ? kLeftHip : kRightHip] = hip;
  f.joints[left ? kLeftKnee : kRightKnee] = knee_at;
  f.joints[left ? kLeftAnkle : kRightAnkle] = knee_at + direction(leg + knee) * foreshortened(rng, 0.235 * height);
}

Point face_point(const Figure& f, const FaceFeature& feature) {
  const Point across = rotated({1, 0}, f.head_angle), up = rotated({0, -1}, f.head_angle);
  return f.head_centre + across * (0.9 * f.head_radius * std::sin(feature.azimuth + f.head_yaw)) +
         up * (feature.lift * f.head_radius);
}

void draw_head(Canvas& canvas, const Figure& f, int owner) {
  const double r = f.head_radius;
  canvas.disc(f.head_centre, r, f.hair, owner);
  if (std::cos(f.head_yaw) > -0.2) {  // the face, shifted towards where the head turns
    const Point across = rotated({1, 0}, f.head_angle), up = rotated({0, -1}, f.head_angle);
    canvas.ellipse(f.head_centre + across * (0.25 * r * std::sin(f.head_yaw)) + up * (-0.1 * r), 0.75 * r, 0.8 * r,
                   f.head_angle, f.skin, owner);
  }
  for (const FaceFeature& feature : kFace) {
    if (f.behind_head[feature.joint]) continue;
    const Point at = f.joints[feature.joint];
    const Color side_color = darker(f.limbs[feature.azimuth > 0 ? 0 : 2], 0.2);
    if (feature.joint == kNose) {
      canvas.disc(at, std::max(1.0, 0.15 * r), darker(f.skin, 0.4), owner);
    } else if (feature.joint == kLeftEye || feature.joint == kRightEye) {
      canvas.disc(at, std::max(1.0, 0.2 * r), Color{245, 245, 245}, owner);
      canvas.disc(at, std::max(1.0, 0.11 * r), side_color, owner);  // the iris tells left from right
    } else {
      canvas.disc(at, std::max(1.0, 0.22 * r), side_color, owner);
    }
  }
}

}  // namespace

Figure sample_figure(Rng& rng, double height) {
  Figure f;
  const double build = uniform(rng, 0.85, 1.15);  // narrow to broad
  f.limb_radius = std::max(1.5, 0.03 * height * uniform(rng, 0.8, 1.2));
  f.head_radius = 0.065 * height * uniform(rng, 0.9, 1.1);
  // Mostly upright with some lean; now and then lying or tumbling.
  const double lean = rng.uniform() < 0.04 ? uniform(rng, -kPi, kPi) : std::clamp(0.15 * rng.normal(), -0.45, 0.45);
  const Point up = rotated({0, -1}, lean), across = rotated({1, 0}, lean);
  // Turn about the vertical axis: 0 faces the camera (the person's left on the image's right),
  // pi faces away. Its cosine squashes the shoulders and hips and mirrors them when negative.
  const double yaw = (rng.uniform() < 0.35 ? kPi : 0.0) + uniform(rng, -0.8, 0.8);
  const double facing = std::cos(yaw) * build;
  const Point shoulders = up * (0.30 * height);
  sample_side(rng, f, Side::kLeft, shoulders, up, across, facing, height);
  sample_side(rng, f, Side::kRight, shoulders, up, across, facing, height);

  f.head_angle = lean + uniform(rng, -0.25, 0.25);
  f.head_centre = shoulders + rotated({0, -1}, f.head_angle) * (0.11 * height);
  f.head_yaw = yaw + uniform(rng, -0.8, 0.8);
  for (const FaceFeature& feature : kFace) {
    f.joints[feature.joint] = face_point(f, feature);
    f.behind_head[feature.joint] = std::cos(feature.azimuth + f.head_yaw) <= feature.min_cos;
  }
  f.torso = random_color(rng);
  f.skin = skin_color(rng);
  f.hair = darker(random_color(rng), 0.6);
  f.limbs = {limb_color(rng, Side::kLeft, Limb::kArm), limb_color(rng, Side::kLeft, Limb::kLeg),
             limb_color(rng, Side::kRight, Limb::kArm), limb_color(rng, Side::kRight, Limb::kLeg)};
  return f;
}

void move_figure(Figure& figure, Point offset) {
  for (Point& p : figure.joints) p = p + offset;
  figure.head_centre = figure.head_centre + offset;
}

Box figure_extent(const Figure& figure) {
  Box box;
  // Joint discs reach 1.3 limb radii, ears 1.12 head radii.
  for (const Point& p : figure.joints) box.add(p, 1.4 * figure.limb_radius);
  box.add(figure.head_centre, 1.2 * figure.head_radius);
  return box;
}

void draw_figure(Canvas& canvas, const Figure& f, int first_owner) {
  const auto& j = f.joints;
  const double r = f.limb_radius;
  const int torso = first_owner + kTorso;
  const Point mid_shoulders = (j[kLeftShoulder] + j[kRightShoulder]) * 0.5;
  canvas.capsule(mid_shoulders, f.head_centre, 0.35 * f.head_radius, f.skin, torso);  // neck
  // The torso quad reaches one limb radius past the shoulders and hips, so those joints sit on it.
  const Point span = j[kLeftShoulder] - j[kRightShoulder];
  const Point lateral = span * (r / std::max(1e-9, std::sqrt(dot(span, span))));
  canvas.quad({j[kLeftShoulder] + lateral, j[kRightShoulder] - lateral, j[kRightHip] - lateral, j[kLeftHip] + lateral},
              f.torso, torso);
  for (Joint shoulder : {kLeftShoulder, kRightShoulder}) canvas.disc(j[shoulder], 1.2 * r, f.torso, torso);
  for (const Bone& bone : kBones) {
    const Color color = f.limbs[static_cast<std::size_t>(bone.color)];
    const int owner = first_owner + bone.part;
    canvas.capsule(j[bone.from], j[bone.to], r, color, owner);
    // Darker discs mark the joints, as a cue for where exactly they are.
    canvas.disc(j[bone.from], 1.3 * r, darker(color, 0.35), owner);
    canvas.disc(j[bone.to], 1.3 * r, darker(color, 0.35), owner);
  }
  draw_head(canvas, f, first_owner + kHead);
}

bool part_shows_joint(int part, int joint) {
  if (joint <= kRightEar) return part == kHead;
  if (joint == kLeftShoulder || joint == kRightShoulder || joint == kLeftHip || joint == kRightHip) {
    if (part == kTorso) return true;
  }
  for (const Bone& bone : kBones)
    if (bone.part == part && (bone.from == joint || bone.to == joint)) return true;
  return false;
}

}  // namespace pose::synth
