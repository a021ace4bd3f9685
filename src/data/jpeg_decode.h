// JPEG decoding for the loader: only the part of the image a sample needs, at the coarsest
// DCT scale that still gives the network input full resolution. libjpeg-turbo decodes at
// 1/1, 1/2, 1/4 or 1/8 scale inside the IDCT, crops columns (to iMCU boundaries) and skips
// scanlines, so a small person in a large photo costs a fraction of a full decode.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pose {

struct JpegHeader {
  int width = 0;
  int height = 0;
  int components = 0;
};

// Reads the header only. Throws pose::Error on anything that is not a readable JPEG.
JpegHeader read_jpeg_header(const std::uint8_t* data, std::size_t size);

// Pixel rectangle [x0, x1) x [y0, y1).
struct PixelBox {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool empty() const { return x1 <= x0 || y1 <= y0; }
};

// An RGB region of the image decoded at 1/scale_denom. Decoded pixel (i, j) of the region is
// pixel (origin_x + i, origin_y + j) of the scaled image; it covers full-resolution pixels
// [(origin + i) * d, (origin + i + 1) * d), so its centre sits at (origin + i) * d + (d - 1) / 2.
struct DecodedRegion {
  std::vector<std::uint8_t> rgb;  // height x width x 3
  int width = 0;
  int height = 0;
  int origin_x = 0;
  int origin_y = 0;
  int scale_denom = 1;
  int image_width = 0;   // of the full-resolution image
  int image_height = 0;
};

// Decodes `want` (in full-resolution pixels, clipped to the image; columns may widen to the
// codec's block boundaries) at 1/scale_denom (1, 2, 4 or 8). Greyscale and CMYK images come
// out as RGB. `out` is reused across calls to avoid allocations. Throws pose::Error on corrupt
// or truncated data (libjpeg's warnings about recoverable damage are errors here too: a
// half-grey image would teach the network garbage).
void decode_jpeg_region(const std::uint8_t* data, std::size_t size, PixelBox want,
                        int scale_denom, DecodedRegion& out);

}  // namespace pose
