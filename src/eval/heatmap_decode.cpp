#include "eval/heatmap_decode.h"

#include <cmath>
#include <vector>

#include "core/error.h"

namespace pose {

namespace {

void check_layout(const HeatmapBatch& heatmaps, int joints) {
  POSE_CHECK(heatmaps.data != nullptr && heatmaps.batch >= 0 && heatmaps.height > 0 && heatmaps.width > 0,
             "heatmaps ", heatmaps.batch, "x", heatmaps.height, "x", heatmaps.width);
  POSE_CHECK(joints > 0 && joints <= heatmaps.channels, joints, " joints in ", heatmaps.channels, " channels");
}

double sign(float v) { return v > 0 ? 1.0 : v < 0 ? -1.0 : 0.0; }

}  // namespace

void find_heatmap_peaks(const HeatmapBatch& heatmaps, int joints, HeatmapPeak* peaks) {
  check_layout(heatmaps, joints);
  const int pixels = heatmaps.height * heatmaps.width;
  for (int n = 0; n < heatmaps.batch; ++n)
    for (int j = 0; j < joints; ++j) {
      const float* channel = heatmaps.data + static_cast<std::size_t>(n) * pixels * heatmaps.channels + j;
      int best = 0;
      float maxval = channel[0];
      for (int i = 1; i < pixels && !std::isnan(maxval); ++i) {
        const float v = channel[static_cast<std::size_t>(i) * heatmaps.channels];
        if (v > maxval || std::isnan(v)) {
          maxval = v;
          best = i;
        }
      }
      HeatmapPeak& peak = peaks[static_cast<std::size_t>(n) * joints + j];
      peak.maxval = maxval;
      const bool found = maxval > 0;
      peak.x = found ? best % heatmaps.width : 0;
      peak.y = found ? best / heatmaps.width : 0;
    }
}

void refine_heatmap_peaks(const HeatmapBatch& heatmaps, int joints, HeatmapPeak* peaks) {
  check_layout(heatmaps, joints);
  for (int n = 0; n < heatmaps.batch; ++n)
    for (int j = 0; j < joints; ++j) {
      HeatmapPeak& peak = peaks[static_cast<std::size_t>(n) * joints + j];
      const double px = std::floor(peak.x + 0.5), py = std::floor(peak.y + 0.5);
      if (!(1 < px && px < heatmaps.width - 1 && 1 < py && py < heatmaps.height - 1)) continue;
      const int x = static_cast<int>(px), y = static_cast<int>(py);
      peak.x += 0.25 * sign(heatmaps.at(n, y, x + 1, j) - heatmaps.at(n, y, x - 1, j));
      peak.y += 0.25 * sign(heatmaps.at(n, y + 1, x, j) - heatmaps.at(n, y - 1, x, j));
    }
}

std::array<double, 2> heatmap_to_image(double x, double y, const std::array<double, 2>& center,
                                       const std::array<double, 2>& scale, int heatmap_width, int heatmap_height) {
  const double cell_w = 200.0 * scale[0] / heatmap_width, cell_h = 200.0 * scale[1] / heatmap_height;
  return {center[0] + (x - heatmap_width * 0.5) * cell_w, center[1] + (y - heatmap_height * 0.5) * cell_h};
}

void decode_heatmaps(const HeatmapBatch& heatmaps, int joints, const std::array<double, 2>* centers,
                     const std::array<double, 2>* scales, bool post_process, double* keypoints) {
  std::vector<HeatmapPeak> peaks(static_cast<std::size_t>(heatmaps.batch) * joints);
  find_heatmap_peaks(heatmaps, joints, peaks.data());
  if (post_process) refine_heatmap_peaks(heatmaps, joints, peaks.data());
  for (int n = 0; n < heatmaps.batch; ++n)
    for (int j = 0; j < joints; ++j) {
      const std::size_t i = static_cast<std::size_t>(n) * joints + j;
      const auto xy = heatmap_to_image(peaks[i].x, peaks[i].y, centers[n], scales[n], heatmaps.width, heatmaps.height);
      keypoints[3 * i] = xy[0];
      keypoints[3 * i + 1] = xy[1];
      keypoints[3 * i + 2] = peaks[i].maxval;
    }
}

}  // namespace pose
