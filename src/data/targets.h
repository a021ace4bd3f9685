// Heatmap targets and target weights of one sample (docs/reference_behaviour.md section 3, the reference's
// generate_target with TARGET_TYPE gaussian).
#pragma once

#include "data/augment.h"

namespace pose {

enum class TargetCenter { Rounded, Exact };

// For each joint k < num_joints (at most kCocoJoints), from its network-input position:
//   stride = input size / heatmap size; mu = int(x / stride + 0.5) per axis, truncating toward
//   zero like Python's int (so -0.1 -> 0); radius = 3 sigma; window [mu - radius, mu + radius].
//   weight = visibility, set to 0 when the window lies wholly outside the heatmap
//   (ul >= size or br < 0 with br = mu + radius + 1 exclusive; a window ending exactly at 0,
//   e.g. mu = -7 for sigma 2, keeps weight 1 and draws nothing, as in the reference).
//   If the weight is > 0.5, the unnormalised Gaussian exp(-d^2 / (2 sigma^2)) (peak 1 at mu)
//   is written over the window clipped to the heatmap; every other pixel is 0.
// A non-finite position counts as outside the heatmap.
// With TargetCenter::Exact the Gaussian over that same window is centred on the joint's
// unrounded position x / stride instead (peak below 1 between cells): the weights are the same,
// and a network can learn where between cells a joint lies (the reference rounds that away).
// heatmaps: [heatmap_h][heatmap_w][num_joints] (NHWC, channel fastest), fully overwritten.
// weights: [num_joints]; multiplied by joint_weights[k] when joint_weights is given (the HRNet
// repo's USE_DIFFERENT_JOINTS_WEIGHT; the reference uses none).
void make_targets(const InputJoints& joints, int num_joints, float sigma, int heatmap_w,
                  int heatmap_h, int input_w, int input_h, float* heatmaps, float* weights,
                  const float* joint_weights = nullptr, TargetCenter center = TargetCenter::Rounded);

// Where the rounded (reference) target's peak lies relative to the joint's rounded cell mu, in
// cells along each axis, for joints away from the border: floor(3 sigma + 0.5) - ceil(3 sigma).
// 0 when 3 sigma is whole or its fraction is at least 0.5 (sigma 0.5, 1, 1.5, 2), else -1
// (sigma 0.75, 1.75): the reference's window then draws the Gaussian a cell left of and above
// the joint, which TargetCenter::Exact does not.
int rounded_target_offset(float sigma);

}  // namespace pose
