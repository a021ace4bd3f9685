// The shape of a PoseResNet (SimpleBaseline): backbone depth and width, input size, and the
// deconvolution head, as the [model] and [data] config sections give them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pose {

struct PoseResNetSpec {
  int depth = 50;       // 18, 34, 50, 101 or 152
  int base_width = 64;  // channels of the first stage (64 in ResNet; smaller for quick CPU runs)
  int input_height = 256;
  int input_width = 192;
  int input_channels = 3;
  int num_joints = 17;
  std::vector<int> deconv_filters{256, 256, 256};
  std::vector<int> deconv_kernels{4, 4, 4};
  int final_conv_kernel = 1;
  bool deconv_with_bias = false;

  bool bottleneck() const { return depth >= 50; }
  std::vector<int> blocks_per_stage() const;  // {3, 4, 6, 3} for ResNet-50
  int heatmap_height() const;
  int heatmap_width() const;
  // Throws UserError naming the bad field (unsupported depth, mismatched lists, input size
  // not a multiple of 32, ...).
  void validate() const;
  std::string str() const;  // "ResNet-50 (width 64), 256x192 input, deconv 256,256,256 k4 -> 17 joints"
};

// Padding and output padding of a deconvolution with this kernel (4: 1/0, 3: 1/1, 2: 0/0), the
// rule that doubles the size for each.
struct DeconvPadding {
  int pad;
  int output_padding;
};
DeconvPadding deconv_padding(int kernel);

}  // namespace pose
