// Pictures of what the network sees: a normalised network input turned back into RGB, with
// the target heatmaps laid over it and the joints they encode marked.
#pragma once

#include <array>

#include "data/warp.h"
#include "viz/picture.h"

namespace pose {

// image: one sample's input [height][width][3] f32 as warp_normalize wrote it (normalised,
// in norm.order); the result is RGB.
Picture denormalize(const float* image, int width, int height, const Normalization& norm);

// Mixes the maximum over joints of targets [h][w][joints] (values in [0, 1]) into the picture
// as a red-to-yellow glow, each heatmap cell covering picture.width / w columns.
void overlay_heatmaps(Picture& picture, const float* targets, int h, int w, int joints);

// The 17 joints as draw_pose wants them, from the peaks of the target heatmaps in picture
// pixels; joints of weight 0 (unlabelled or outside the crop) get score 0 and are not drawn.
std::array<double, 51> joints_from_targets(const float* targets, const float* weights, int h, int w, int joints,
                                           int picture_width, int picture_height);

}  // namespace pose
