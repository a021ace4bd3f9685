#include "data/record_checks.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace pose {
namespace {

bool finite(const float* values, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(values[i])) return false;
  return true;
}

// How far outside its image a joint or box centre may lie and still be believed: annotators
// and detectors place points a little beyond the border, never an image size away.
bool near_image(float x, float y, const PersonRecord& r) {
  const float w = static_cast<float>(r.image_width), h = static_cast<float>(r.image_height);
  return x >= -w && x <= 2 * w && y >= -h && y <= 2 * h;
}

}  // namespace

std::string record_problem(const PersonRecord& r) {
  if (r.image_width <= 0 || r.image_height <= 0)
    return cat("its image size ", r.image_width, "x", r.image_height, " is not positive");
  if (!finite(r.center.data(), 2)) return "its centre is not finite";
  if (!finite(r.scale.data(), 2) || !(r.scale[0] > 0 && r.scale[1] > 0)) return "its scale is not a positive number";
  if (!finite(r.box.data(), 4) || !std::isfinite(r.area) || !std::isfinite(r.score))
    return "its box, area or score is not finite";
  if (!near_image(r.center[0], r.center[1], r))
    return cat("its centre (", r.center[0], ", ", r.center[1], ") lies far outside its ", r.image_width, "x",
               r.image_height, " image");
  // The box is enlarged 1.25x and widened to the input aspect, so a person fills at most a few
  // image sizes; a larger scale is damage.
  const float limit = 4 * static_cast<float>(std::max(r.image_width, r.image_height)) / kPixelStd;
  if (r.scale[0] > limit || r.scale[1] > limit)
    return cat("its scale (", r.scale[0], ", ", r.scale[1], ") is larger than its image allows");
  for (std::size_t k = 0; k < r.joints.size(); ++k) {
    const Joint& j = r.joints[k];
    if (!std::isfinite(j.x) || !std::isfinite(j.y) || !std::isfinite(j.visibility))
      return cat("joint ", k, " is not finite");
    if (j.visibility != 0 && j.visibility != 1 && j.visibility != 2)
      return cat("joint ", k, " has visibility ", j.visibility, ", expected 0, 1 or 2");
    if (j.visibility > 0 && !near_image(j.x, j.y, r))
      return cat("joint ", k, " (", j.x, ", ", j.y, ") lies far outside its ", r.image_width, "x", r.image_height,
                 " image");
  }
  return {};
}

}  // namespace pose
