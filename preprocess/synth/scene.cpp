#include "scene.h"

#include <algorithm>
#include <cmath>

#include "canvas.h"
#include "data/jpeg_encode.h"

namespace pose::synth {
namespace {

double uniform(Rng& rng, double lo, double hi) { return lo + (hi - lo) * rng.uniform(); }

Color random_color(Rng& rng) {
  return {static_cast<std::uint8_t>(rng.below(256)), static_cast<std::uint8_t>(rng.below(256)),
          static_cast<std::uint8_t>(rng.below(256))};
}

struct Point {
  double x, y;
};

// A figure's 17 joints in COCO order, hips centred at `hip_centre`, about `height` tall.
// facing_front: the person's left is on the image's right. The angles are random but within
// what a body does.
std::array<Point, 17> pose_joints(Rng& rng, Point hip_centre, double height, bool facing_front) {
  const double side = facing_front ? 1 : -1;  // image-x direction of the person's left
  const double lean = uniform(rng, -0.25, 0.25);
  const double torso = 0.30 * height, shoulder_half = 0.11 * height, hip_half = 0.07 * height;
  const double upper_arm = 0.16 * height, fore_arm = 0.15 * height, thigh = 0.24 * height, shin = 0.23 * height;
  const Point neck{hip_centre.x + torso * std::sin(lean), hip_centre.y - torso * std::cos(lean)};
  std::array<Point, 17> j{};
  const double head = 0.07 * height;
  const Point head_centre{neck.x + 1.2 * head * std::sin(lean), neck.y - 1.4 * head * std::cos(lean)};
  const double turn = uniform(rng, -0.5, 0.5);  // head turned towards one shoulder
  j[0] = {head_centre.x + side * turn * head * 0.6, head_centre.y + 0.2 * head};            // nose
  j[1] = {head_centre.x + side * (0.35 + turn * 0.5) * head, head_centre.y - 0.2 * head};   // left eye
  j[2] = {head_centre.x - side * (0.35 - turn * 0.5) * head, head_centre.y - 0.2 * head};   // right eye
  j[3] = {head_centre.x + side * 0.95 * head, head_centre.y};                                // left ear
  j[4] = {head_centre.x - side * 0.95 * head, head_centre.y};                                // right ear
  // Limbs: angle 0 points down; each hangs from its parent with a random swing.
  auto limb = [&](Point from, double angle, double length) {
    return Point{from.x + length * std::sin(angle), from.y + length * std::cos(angle)};
  };
  for (int s = 0; s < 2; ++s) {  // s = 0: the person's left, s = 1: right
    const double dir = s == 0 ? side : -side;
    const Point shoulder{neck.x + dir * shoulder_half, neck.y};
    const Point hip{hip_centre.x + dir * hip_half, hip_centre.y};
    const double arm = dir * uniform(rng, -0.6, 2.6), elbow_bend = dir * uniform(rng, -0.2, 2.0);
    const double leg = dir * uniform(rng, -0.3, 0.8), knee_bend = -dir * uniform(rng, 0.0, 1.2);
    j[static_cast<std::size_t>(5 + s)] = shoulder;
    j[static_cast<std::size_t>(7 + s)] = limb(shoulder, arm, upper_arm);
    j[static_cast<std::size_t>(9 + s)] = limb(j[static_cast<std::size_t>(7 + s)], arm + elbow_bend, fore_arm);
    j[static_cast<std::size_t>(11 + s)] = hip;
    j[static_cast<std::size_t>(13 + s)] = limb(hip, leg, thigh);
    j[static_cast<std::size_t>(15 + s)] = limb(j[static_cast<std::size_t>(13 + s)], leg + knee_bend, shin);
  }
  return j;
}

// Draws one figure as `owner`; returns the box of its pixels.
void draw_figure(Canvas& canvas, const std::array<Point, 17>& j, double height, int owner, Rng& rng) {
  const Color skin{static_cast<std::uint8_t>(150 + rng.below(80)), static_cast<std::uint8_t>(110 + rng.below(60)), 90};
  const Color shirt = random_color(rng);
  const Color left_arm{230, 60, 30}, left_leg{240, 160, 20};   // warm: the person's left
  const Color right_arm{30, 80, 230}, right_leg{20, 190, 210};  // cool: the person's right
  const double limb = std::max(2.0, 0.035 * height);
  // Torso quad as two thick lines between shoulders and hips.
  canvas.line((j[5].x + j[6].x) / 2, (j[5].y + j[6].y) / 2, (j[11].x + j[12].x) / 2, (j[11].y + j[12].y) / 2,
              std::hypot(j[5].x - j[6].x, j[5].y - j[6].y) / 2, shirt, owner);
  const int bones[][2] = {{5, 7}, {7, 9}, {11, 13}, {13, 15}, {6, 8}, {8, 10}, {12, 14}, {14, 16}};
  const Color colors[] = {left_arm, left_arm, left_leg, left_leg, right_arm, right_arm, right_leg, right_leg};
  for (int b = 0; b < 8; ++b) {
    const Point& p = j[static_cast<std::size_t>(bones[b][0])];
    const Point& q = j[static_cast<std::size_t>(bones[b][1])];
    canvas.line(p.x, p.y, q.x, q.y, limb, colors[b], owner);
    canvas.disc(q.x, q.y, limb * 1.3, colors[b], owner);  // joints as discs
  }
  const double head = 0.07 * height;
  canvas.disc((j[3].x + j[4].x) / 2, j[3].y, head, skin, owner);
  canvas.disc(j[0].x, j[0].y, std::max(1.0, head * 0.18), Color{200, 40, 40}, owner);
  canvas.disc(j[1].x, j[1].y, std::max(1.0, head * 0.15), Color{250, 250, 250}, owner);
  canvas.disc(j[2].x, j[2].y, std::max(1.0, head * 0.15), Color{20, 20, 20}, owner);
}

void clutter(Canvas& canvas, Rng& rng, int count, double max_size) {
  for (int i = 0; i < count; ++i) {
    const double x = uniform(rng, 0, canvas.width()), y = uniform(rng, 0, canvas.height());
    const double a = uniform(rng, 4, max_size), b = uniform(rng, 4, max_size);
    const Color c = random_color(rng);
    switch (rng.below(3)) {
      case 0: canvas.rect(x, y, x + a, y + b, c, -1); break;
      case 1: canvas.ellipse(x, y, a / 2, b / 2, c, -1); break;
      default: canvas.line(x, y, x + a, y + b, uniform(rng, 1, 4), c, -1); break;
    }
  }
}

std::array<double, 4> jitter(Rng& rng, const std::array<double, 4>& box, double amount) {
  const double w = box[2] * (1 + uniform(rng, -amount, amount)), h = box[3] * (1 + uniform(rng, -amount, amount));
  return {box[0] + box[2] * uniform(rng, -amount, amount), box[1] + box[3] * uniform(rng, -amount, amount), w, h};
}

}  // namespace

Scene make_scene(Rng& rng, const SceneSettings& settings) {
  Scene scene;
  scene.width = static_cast<int>(uniform(rng, settings.min_size, settings.max_size + 1));
  scene.height = static_cast<int>(uniform(rng, settings.min_size, settings.max_size + 1));
  Canvas canvas(scene.width, scene.height);
  canvas.gradient(random_color(rng), random_color(rng));
  clutter(canvas, rng, 10 + static_cast<int>(rng.below(20)), 0.25 * std::min(scene.width, scene.height));

  const int people = 1 + static_cast<int>(rng.below(4));
  std::vector<std::array<Point, 17>> joints;
  for (int p = 0; p < people; ++p) {
    const double height = uniform(rng, 60, 0.95 * scene.height);
    // Hips anywhere; some figures stand partly outside the image.
    const Point hips{uniform(rng, -0.1, 1.1) * scene.width, uniform(rng, 0.2, 0.9) * scene.height};
    joints.push_back(pose_joints(rng, hips, height, rng.uniform() < 0.5));
    draw_figure(canvas, joints.back(), height, p, rng);
  }
  // Occluders over the figures.
  clutter(canvas, rng, static_cast<int>(rng.below(4)), 0.2 * std::min(scene.width, scene.height));

  for (int p = 0; p < people; ++p) {
    Person person;
    int x0 = scene.width, y0 = scene.height, x1 = -1, y1 = -1;
    for (int y = 0; y < scene.height; ++y)
      for (int x = 0; x < scene.width; ++x)
        if (canvas.owner(x, y) == p) {
          ++person.area;
          x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
        }
    if (person.area == 0) continue;  // fully hidden or outside: no annotation, as in COCO
    person.bbox = {static_cast<double>(x0), static_cast<double>(y0), x1 - x0 + 1.0, y1 - y0 + 1.0};
    for (std::size_t k = 0; k < 17; ++k) {
      const Point& q = joints[static_cast<std::size_t>(p)][k];
      const int xi = static_cast<int>(std::floor(q.x)), yi = static_cast<int>(std::floor(q.y));
      if (xi < 0 || yi < 0 || xi >= scene.width || yi >= scene.height) continue;  // unlabelled
      // Visible (2) where the figure is on top at the joint, labelled-but-occluded (1) elsewhere.
      const int v = canvas.owner(xi, yi) == p ? 2 : 1;
      person.keypoints[3 * k] = std::round(q.x * 100) / 100;
      person.keypoints[3 * k + 1] = std::round(q.y * 100) / 100;
      person.keypoints[3 * k + 2] = v;
      ++person.num_keypoints;
    }
    scene.people.push_back(person);
    scene.detections.push_back({jitter(rng, person.bbox, 0.1), uniform(rng, 0.6, 1.0)});
    if (rng.uniform() < 0.3) scene.detections.push_back({jitter(rng, person.bbox, 0.3), uniform(rng, 0.1, 0.5)});
  }
  for (int f = static_cast<int>(rng.below(3)); f > 0; --f) {  // false boxes on clutter
    const double w = uniform(rng, 20, scene.width / 2.0), h = uniform(rng, 40, scene.height / 2.0);
    scene.detections.push_back({{uniform(rng, 0, scene.width - w), uniform(rng, 0, scene.height - h), w, h},
                                uniform(rng, 0.02, 0.3)});
  }
  scene.jpeg = encode_jpeg_rgb(canvas.rgb().data(), scene.width, scene.height, settings.quality);
  return scene;
}

}  // namespace pose::synth
