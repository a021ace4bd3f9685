// The network input from a decoded region: bilinear sampling through an affine map (zero
// outside the image, like OpenCV's warpAffine with a constant 0 border) fused with the
// per-channel normalisation ((v / 255 - mean) / std), writing f32 NHWC.
#pragma once

#include <array>

#include "data/affine.h"
#include "data/jpeg_decode.h"

namespace pose {

enum class ColorOrder { RGB, BGR };

struct Normalization {
  std::array<float, 3> mean{0.485f, 0.456f, 0.406f};  // ImageNet statistics, RGB order
  std::array<float, 3> std{0.229f, 0.224f, 0.225f};
  // BGR reproduces the MSRA reference, which feeds BGR pixels normalised with the RGB
  // statistics (channel i of the stored order uses mean[i], std[i]).
  ColorOrder order = ColorOrder::RGB;
};

// `input_to_image` maps network-input pixel (u, v) to the full-resolution image pixel it reads.

// The full-resolution pixels an output of out_w x out_h reads, with a margin for the bilinear
// taps at the coarsest scale (unclipped: the decoder clips to the image).
PixelBox source_box(const Affine& input_to_image, int out_w, int out_h);

// The coarsest JPEG scale (1, 2, 4 or 8) at which every output pixel still spans at least one
// decoded pixel; `input_pixels_per_image_pixel` is the map's linear scale factor.
int coarsest_scale_denom(double input_pixels_per_image_pixel);

// Writes out[out_h][out_w][3].
void warp_normalize(const DecodedRegion& region, const Affine& input_to_image, int out_w, int out_h,
                    const Normalization& norm, float* out);

}  // namespace pose
