#include "data/affine.h"

#include <cmath>

#include "core/error.h"
#include "data/record.h"

namespace pose {

Affine Affine::inverse() const {
  const double det = a * e - b * d;
  POSE_CHECK(det != 0 && std::isfinite(det), "affine map is not invertible");
  Affine inv;
  inv.a = e / det;
  inv.b = -b / det;
  inv.d = -d / det;
  inv.e = a / det;
  inv.c = -(inv.a * c + inv.b * f);
  inv.f = -(inv.d * c + inv.e * f);
  return inv;
}

Affine compose(const Affine& outer, const Affine& inner) {
  Affine m;
  m.a = outer.a * inner.a + outer.b * inner.d;
  m.b = outer.a * inner.b + outer.b * inner.e;
  m.c = outer.a * inner.c + outer.b * inner.f + outer.c;
  m.d = outer.d * inner.a + outer.e * inner.d;
  m.e = outer.d * inner.b + outer.e * inner.e;
  m.f = outer.d * inner.c + outer.e * inner.f + outer.f;
  return m;
}

Affine affine_from_point_pairs(const Point2 (&src)[3], const Point2 (&dst)[3]) {
  // With edge vectors U = [src1 - src0, src2 - src0] and V likewise for dst, the linear part
  // is A = V U^-1 and the translation puts src0 onto dst0.
  const double u1x = src[1].x - src[0].x, u1y = src[1].y - src[0].y;
  const double u2x = src[2].x - src[0].x, u2y = src[2].y - src[0].y;
  const double v1x = dst[1].x - dst[0].x, v1y = dst[1].y - dst[0].y;
  const double v2x = dst[2].x - dst[0].x, v2y = dst[2].y - dst[0].y;
  const double det = u1x * u2y - u2x * u1y;
  POSE_CHECK(det != 0 && std::isfinite(det), "source points are collinear");
  Affine m;
  m.a = (v1x * u2y - v2x * u1y) / det;
  m.b = (v2x * u1x - v1x * u2x) / det;
  m.d = (v1y * u2y - v2y * u1y) / det;
  m.e = (v2y * u1x - v1y * u2x) / det;
  m.c = dst[0].x - (m.a * src[0].x + m.b * src[0].y);
  m.f = dst[0].y - (m.d * src[0].x + m.e * src[0].y);
  return m;
}

namespace {

constexpr double kPi = 3.14159265358979323846;

// The reference's third point: p1 + (p0 - p1) turned by +90 degrees, (dx, dy) -> (-dy, dx).
Point2 third_point(Point2 p0, Point2 p1) { return {p1.x - (p0.y - p1.y), p1.y + (p0.x - p1.x)}; }

}  // namespace

Affine affine_from_box(Point2 center, Point2 scale, double rotation_degrees, int out_width,
                       int out_height) {
  const double r = rotation_degrees * kPi / 180.0;
  const double sn = std::sin(r), cs = std::cos(r);
  // The box's "up" half-width vector (0, -box_width / 2) rotated by r, and its image at the
  // output: half the output width straight up from the output center.
  const double up = -0.5 * kPixelStd * scale.x;
  const Point2 src_dir{-up * sn, up * cs};
  const Point2 dst_center{out_width * 0.5, out_height * 0.5};
  Point2 src[3] = {center, {center.x + src_dir.x, center.y + src_dir.y}, {}};
  Point2 dst[3] = {dst_center, {dst_center.x, dst_center.y - out_width * 0.5}, {}};
  src[2] = third_point(src[0], src[1]);
  dst[2] = third_point(dst[0], dst[1]);
  return affine_from_point_pairs(src, dst);
}

Point2 heatmap_to_image(Point2 heatmap_point, Point2 center, Point2 scale, int heatmap_width,
                        int heatmap_height) {
  const double pixels_per_cell = kPixelStd * scale.x / heatmap_width;
  return {center.x + (heatmap_point.x - heatmap_width * 0.5) * pixels_per_cell,
          center.y + (heatmap_point.y - heatmap_height * 0.5) * pixels_per_cell};
}

}  // namespace pose
