// From network heatmaps to joint positions (the reference's get_max_preds and get_final_preds,
// docs/reference_behaviour.md section 6), for any heatmap size.
#pragma once

#include <array>
#include <cstddef>

namespace pose {

// A batch of heatmaps in NHWC layout, float {batch, height, width, channels}. channels may
// exceed the joint count (padded channels); those are never read.
struct HeatmapBatch {
  const float* data = nullptr;
  int batch = 0, height = 0, width = 0, channels = 0;

  float at(int n, int y, int x, int c) const {
    return data[((static_cast<std::size_t>(n) * height + y) * width + x) * channels + c];
  }
};

// A joint's location on its heatmap (x right, y down, in heatmap cells) and the maximum.
struct HeatmapPeak {
  double x = 0, y = 0;
  float maxval = 0;
};

// get_max_preds for the first `joints` channels of every sample: the first maximum in
// row-major order (a NaN counts as the maximum, as in np.argmax); when the maximum is not
// > 0 the location is (0, 0). peaks: batch x joints, sample-major.
void find_heatmap_peaks(const HeatmapBatch& heatmaps, int joints, HeatmapPeak* peaks);

// The reference's quarter-cell refinement: with px = floor(x + 0.5), py = floor(y + 0.5),
// only when 1 < px < width - 1 and 1 < py < height - 1 (both strict, tested together),
// x += 0.25 sign(h[py][px+1] - h[py][px-1]) and y += 0.25 sign(h[py+1][px] - h[py-1][px]).
void refine_heatmap_peaks(const HeatmapBatch& heatmaps, int joints, HeatmapPeak* peaks);

// DARK's refinement (Zhang et al., "Distribution-Aware Coordinate Representation for Human Pose
// Estimation", CVPR 2020), for heatmaps trained on Gaussians centred between pixels: around
// the peak pixel the heatmap is smoothed with a Gaussian of `sigma` pixels (edges repeated), and
// with L its logarithm, gradient g and Hessian H by central differences at the peak pixel,
// the peak moves by the Newton step -H^-1 g, each coordinate clamped to [-1, 1]. A log-Gaussian
// is quadratic, so on a clean Gaussian the step lands on its centre. Where the peak pixel
// touches the border, or H is not negative definite, the quarter rule above applies instead.
void refine_heatmap_peaks_taylor(const HeatmapBatch& heatmaps, int joints, double sigma, HeatmapPeak* peaks);

// A heatmap position back to image pixels for an unrotated crop of the box (center, scale),
// scale = box size / 200, on a heatmap_width x heatmap_height map:
//   X = cx + (x - W/2) (200 sw / W),  Y = cy + (y - H/2) (200 sh / H).
std::array<double, 2> heatmap_to_image(double x, double y, const std::array<double, 2>& center,
                                       const std::array<double, 2>& scale, int heatmap_width, int heatmap_height);

// How decode_heatmaps refines the peaks: not at all, the reference's quarter rule (its
// post_process), or the Taylor step with the given smoothing sigma.
struct PeakRefine {
  enum Kind { None, Quarter, Taylor } kind = Quarter;
  double sigma = 0;  // Taylor only
};

// get_final_preds: peaks, the refinement, then heatmap_to_image with each sample's box.
// keypoints: batch x joints x (X, Y, maxval).
void decode_heatmaps(const HeatmapBatch& heatmaps, int joints, const std::array<double, 2>* centers,
                     const std::array<double, 2>* scales, PeakRefine refine, double* keypoints);

}  // namespace pose
