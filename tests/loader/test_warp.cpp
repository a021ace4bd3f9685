// The fused bilinear warp + normalisation, the source box and the decode-scale choice.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "../common/paths.h"
#include "data/warp.h"
#include "io/file.h"

namespace pose {
namespace {

// A region at full resolution whose pixel (x, y) has channels (x, y, x + y) (mod 256).
DecodedRegion ramp(int w, int h) {
  DecodedRegion r;
  r.width = r.image_width = w;
  r.height = r.image_height = h;
  r.rgb.resize(static_cast<std::size_t>(w) * h * 3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      std::uint8_t* p = &r.rgb[(static_cast<std::size_t>(y) * w + x) * 3];
      p[0] = static_cast<std::uint8_t>(x), p[1] = static_cast<std::uint8_t>(y), p[2] = static_cast<std::uint8_t>(x + y);
    }
  return r;
}

float normalized(float v, const Normalization& n, int k) { return (v / 255.0f - n.mean[k]) / n.std[k]; }

TEST(Warp, IdentityCopiesNormalisedPixels) {
  const DecodedRegion r = ramp(20, 10);
  const Normalization n;
  std::vector<float> out(20 * 10 * 3);
  warp_normalize(r, Affine{}, 20, 10, n, out.data());
  for (int y = 0; y < 10; ++y)
    for (int x = 0; x < 20; ++x)
      for (int k = 0; k < 3; ++k) {
        const float want = normalized(r.rgb[(static_cast<std::size_t>(y) * 20 + x) * 3 + k], n, k);
        ASSERT_NEAR(out[(static_cast<std::size_t>(y) * 20 + x) * 3 + k], want, 1e-5) << x << "," << y << "," << k;
      }
}

TEST(Warp, HalfPixelShiftAveragesAndOutsideIsBlack) {
  const DecodedRegion r = ramp(8, 8);
  const Normalization n;
  Affine shift;
  shift.c = 0.5;   // x = u + 0.5
  shift.f = -3.0;  // y = v - 3: the top three rows read above the image
  std::vector<float> out(8 * 8 * 3);
  warp_normalize(r, shift, 8, 8, n, out.data());
  EXPECT_NEAR(out[(5 * 8 + 2) * 3 + 0], normalized(2.5f, n, 0), 1e-5);  // v=5 reads y=2
  EXPECT_NEAR(out[(5 * 8 + 2) * 3 + 1], normalized(2.0f, n, 1), 1e-5);
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(out[(0 * 8 + 4) * 3 + k], normalized(0, n, k), 1e-5);
  // The last column reads x = 7.5: half the last pixel, half the black border.
  EXPECT_NEAR(out[(5 * 8 + 7) * 3 + 0], normalized(3.5f, n, 0), 1e-5);
}

TEST(Warp, BgrOrderReadsTheChannelsReversedWithTheSameStatistics) {
  const DecodedRegion r = ramp(4, 4);
  Normalization bgr;
  bgr.order = ColorOrder::BGR;
  std::vector<float> out(4 * 4 * 3);
  warp_normalize(r, Affine{}, 4, 4, bgr, out.data());
  const std::uint8_t* p = &r.rgb[(1 * 4 + 3) * 3];
  const float* o = &out[(1 * 4 + 3) * 3];
  EXPECT_NEAR(o[0], normalized(p[2], bgr, 0), 1e-5);
  EXPECT_NEAR(o[2], normalized(p[0], bgr, 2), 1e-5);
}

TEST(Warp, ScaledRegionsSampleTheSamePlaces) {
  // A 1/2-scale region of a smooth ramp, read through the full-resolution map, matches the
  // full-resolution warp closely (the decoded pixel centres sit at 2i + 0.5).
  const DecodedRegion full = ramp(64, 64);
  DecodedRegion half;
  half.width = half.height = 32;
  half.scale_denom = 2;
  half.image_width = half.image_height = 64;
  half.rgb.resize(32 * 32 * 3);
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 32; ++x)
      for (int c = 0; c < 3; ++c) {
        int sum = 0;
        for (int dy = 0; dy < 2; ++dy)
          for (int dx = 0; dx < 2; ++dx) sum += full.rgb[((2 * y + dy) * 64 + 2 * x + dx) * 3 + c];
        half.rgb[(static_cast<std::size_t>(y) * 32 + x) * 3 + c] = static_cast<std::uint8_t>((sum + 2) / 4);
      }
  Affine twice;
  twice.a = twice.e = 2.0;  // output pixel u reads x = 2u: a 0.5x zoom
  twice.c = twice.f = 8.0;
  const Normalization n;
  std::vector<float> a(16 * 16 * 3), b(16 * 16 * 3);
  warp_normalize(full, twice, 16, 16, n, a.data());
  warp_normalize(half, twice, 16, 16, n, b.data());
  for (std::size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], 2.0 / 255 / 0.224) << i;
}

TEST(Warp, SourceBoxCoversEveryReadPixel) {
  Affine rotate;  // 30 degrees and a 1.5x zoom-out around (100, 80)
  const double c = std::cos(0.5236) * 1.5, s = std::sin(0.5236) * 1.5;
  rotate.a = c, rotate.b = -s, rotate.c = 100;
  rotate.d = s, rotate.e = c, rotate.f = 80;
  const PixelBox box = source_box(rotate, 48, 64);
  for (int v = 0; v < 64; v += 7)
    for (int u = 0; u < 48; u += 5) {
      const double x = rotate.a * u + rotate.b * v + rotate.c, y = rotate.d * u + rotate.e * v + rotate.f;
      EXPECT_GE(x - 1, box.x0);
      EXPECT_LE(x + 2, box.x1);
      EXPECT_GE(y - 1, box.y0);
      EXPECT_LE(y + 2, box.y1);
    }
}

TEST(Warp, CoarsestScaleKeepsAtLeastOneDecodedPixelPerOutputPixel) {
  EXPECT_EQ(coarsest_scale_denom(2.0), 1);   // zooming in: full resolution
  EXPECT_EQ(coarsest_scale_denom(1.0), 1);
  EXPECT_EQ(coarsest_scale_denom(0.6), 1);
  EXPECT_EQ(coarsest_scale_denom(0.5), 2);
  EXPECT_EQ(coarsest_scale_denom(0.3), 2);
  EXPECT_EQ(coarsest_scale_denom(0.25), 4);
  EXPECT_EQ(coarsest_scale_denom(0.01), 8);
}

}  // namespace
}  // namespace pose
