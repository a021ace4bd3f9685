// 2-D affine maps in double precision, and the two maps of the reference's top-down crop
// (docs/reference_behaviour.md sections 2 and 6): box -> network input, and heatmap -> image.
#pragma once

namespace pose {

struct Point2 {
  double x = 0;
  double y = 0;
};

// (x, y) -> (a x + b y + c,  d x + e y + f).
struct Affine {
  double a = 1, b = 0, c = 0;
  double d = 0, e = 1, f = 0;

  Point2 apply(Point2 p) const { return {a * p.x + b * p.y + c, d * p.x + e * p.y + f}; }
  // Throws pose::Error when the linear part is singular.
  Affine inverse() const;
};

// outer after inner: compose(outer, inner).apply(p) == outer.apply(inner.apply(p)).
Affine compose(const Affine& outer, const Affine& inner);

// The unique affine map taking src[i] to dst[i] (i = 0, 1, 2); the three source points must
// not be collinear.
Affine affine_from_point_pairs(const Point2 (&src)[3], const Point2 (&dst)[3]);

// The reference's get_affine_transform: the map from image pixels to an out_width x out_height
// crop of the box with this center and scale (box size / kPixelStd), rotated by
// rotation_degrees (positive turns the content counter-clockwise on screen, y pointing down:
// a point above the centre lands up and to the left). Built from the reference's three point
// pairs; only scale.x matters (the box is aspect-fixed).
// Closed form: k = out_width / (200 scale.x), A = k [[cos r, sin r], [-sin r, cos r]],
// t = (out_width / 2, out_height / 2) - A center.
Affine affine_from_box(Point2 center, Point2 scale, double rotation_degrees, int out_width,
                       int out_height);

// A heatmap location back to image pixels for an unrotated box (the reference's
// transform_preds): X = cx + (x - w/2) 200 sx / w,  Y = cy + (y - h/2) 200 sx / w.
Point2 heatmap_to_image(Point2 heatmap_point, Point2 center, Point2 scale, int heatmap_width,
                        int heatmap_height);

}  // namespace pose
