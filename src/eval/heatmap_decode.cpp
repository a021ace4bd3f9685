#include "eval/heatmap_decode.h"

#include <algorithm>
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

// The quarter rule of refine_heatmap_peaks for channel j of sample n.
void quarter_step(const HeatmapBatch& heatmaps, int n, int j, HeatmapPeak& peak) {
  const double px = std::floor(peak.x + 0.5), py = std::floor(peak.y + 0.5);
  if (!(1 < px && px < heatmaps.width - 1 && 1 < py && py < heatmaps.height - 1)) return;
  const int x = static_cast<int>(px), y = static_cast<int>(py);
  peak.x += 0.25 * sign(heatmaps.at(n, y, x + 1, j) - heatmaps.at(n, y, x - 1, j));
  peak.y += 0.25 * sign(heatmaps.at(n, y + 1, x, j) - heatmaps.at(n, y - 1, x, j));
}

// The heatmap of channel j of sample n smoothed with `kernel` (weights for offsets -r..r, r =
// kernel.size() / 2, separable), at pixel (x, y); pixels beyond the edge repeat the edge.
double smoothed_at(const HeatmapBatch& h, int n, int j, int x, int y, const std::vector<double>& kernel) {
  const int r = static_cast<int>(kernel.size() / 2);
  double sum = 0;
  for (int dy = -r; dy <= r; ++dy) {
    const int yy = std::clamp(y + dy, 0, h.height - 1);
    double row = 0;
    for (int dx = -r; dx <= r; ++dx) row += kernel[static_cast<std::size_t>(dx + r)] * h.at(n, yy, std::clamp(x + dx, 0, h.width - 1), j);
    sum += kernel[static_cast<std::size_t>(dy + r)] * row;
  }
  return sum;
}

// Weights of a Gaussian of `sigma` summing to 1, for offsets -r..r with r = ceil(3 sigma) >= 1.
std::vector<double> gaussian_kernel(double sigma) {
  const int r = std::max(1, static_cast<int>(std::ceil(3 * sigma)));
  std::vector<double> k(static_cast<std::size_t>(2 * r + 1));
  double total = 0;
  for (int i = -r; i <= r; ++i) total += k[static_cast<std::size_t>(i + r)] = std::exp(-0.5 * i * i / (sigma * sigma));
  for (double& v : k) v /= total;
  return k;
}

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
    for (int j = 0; j < joints; ++j) quarter_step(heatmaps, n, j, peaks[static_cast<std::size_t>(n) * joints + j]);
}

void refine_heatmap_peaks_taylor(const HeatmapBatch& heatmaps, int joints, double sigma, HeatmapPeak* peaks) {
  check_layout(heatmaps, joints);
  POSE_CHECK(sigma > 0, "Taylor refinement needs a smoothing sigma > 0, not ", sigma);
  const std::vector<double> kernel = gaussian_kernel(sigma);
  for (int n = 0; n < heatmaps.batch; ++n)
    for (int j = 0; j < joints; ++j) {
      HeatmapPeak& peak = peaks[static_cast<std::size_t>(n) * joints + j];
      const int x = static_cast<int>(peak.x), y = static_cast<int>(peak.y);
      const bool inside = peak.maxval > 0 && 1 <= x && x < heatmaps.width - 1 && 1 <= y && y < heatmaps.height - 1;
      if (inside) {
        double L[3][3];  // L[1 + dy][1 + dx]
        for (int dy = -1; dy <= 1; ++dy)
          for (int dx = -1; dx <= 1; ++dx)
            L[1 + dy][1 + dx] = std::log(std::max(smoothed_at(heatmaps, n, j, x + dx, y + dy, kernel), 1e-10));
        const double gx = 0.5 * (L[1][2] - L[1][0]), gy = 0.5 * (L[2][1] - L[0][1]);
        const double hxx = L[1][2] - 2 * L[1][1] + L[1][0], hyy = L[2][1] - 2 * L[1][1] + L[0][1];
        const double hxy = 0.25 * (L[2][2] - L[2][0] - L[0][2] + L[0][0]);
        const double det = hxx * hyy - hxy * hxy;
        if (hxx < 0 && det > 0) {
          peak.x += std::clamp(-(hyy * gx - hxy * gy) / det, -1.0, 1.0);
          peak.y += std::clamp(-(hxx * gy - hxy * gx) / det, -1.0, 1.0);
          continue;
        }
      }
      quarter_step(heatmaps, n, j, peak);
    }
}

std::array<double, 2> heatmap_to_image(double x, double y, const std::array<double, 2>& center,
                                       const std::array<double, 2>& scale, int heatmap_width, int heatmap_height) {
  const double cell_w = 200.0 * scale[0] / heatmap_width, cell_h = 200.0 * scale[1] / heatmap_height;
  return {center[0] + (x - heatmap_width * 0.5) * cell_w, center[1] + (y - heatmap_height * 0.5) * cell_h};
}

void decode_heatmaps(const HeatmapBatch& heatmaps, int joints, const std::array<double, 2>* centers,
                     const std::array<double, 2>* scales, PeakRefine refine, double* keypoints) {
  std::vector<HeatmapPeak> peaks(static_cast<std::size_t>(heatmaps.batch) * joints);
  find_heatmap_peaks(heatmaps, joints, peaks.data());
  if (refine.kind == PeakRefine::Quarter) refine_heatmap_peaks(heatmaps, joints, peaks.data());
  if (refine.kind == PeakRefine::Taylor) refine_heatmap_peaks_taylor(heatmaps, joints, refine.sigma, peaks.data());
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
