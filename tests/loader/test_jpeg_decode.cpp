// Region and scaled JPEG decoding on the real COCO sample images, and corrupt inputs.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "../common/paths.h"
#include "core/error.h"
#include "data/jpeg_decode.h"
#include "io/file.h"

namespace pose {
namespace {

std::vector<std::uint8_t> sample_jpeg(const std::string& name) {
  const std::string text = read_text_file(test::test_data_dir() + "/coco_sample/val2017/" + name);
  return {text.begin(), text.end()};
}

TEST(JpegDecode, ReadsTheHeader) {
  const auto jpeg = sample_jpeg("000000000785.jpg");
  const JpegHeader h = read_jpeg_header(jpeg.data(), jpeg.size());
  EXPECT_EQ(h.width, 640);
  EXPECT_EQ(h.height, 425);
  EXPECT_EQ(h.components, 3);
}

TEST(JpegDecode, ARegionEqualsTheSameCropOfAFullDecode) {
  const auto jpeg = sample_jpeg("000000000785.jpg");
  DecodedRegion full, part;
  decode_jpeg_region(jpeg.data(), jpeg.size(), {0, 0, 640, 425}, 1, full);
  ASSERT_EQ(full.width, 640);
  ASSERT_EQ(full.height, 425);
  decode_jpeg_region(jpeg.data(), jpeg.size(), {250, 40, 500, 400}, 1, part);
  EXPECT_LE(part.origin_x, 250);  // widened to a block boundary at most
  EXPECT_GE(part.origin_x + part.width, 500);
  EXPECT_EQ(part.origin_y, 40);
  EXPECT_EQ(part.height, 360);
  int differing = 0;
  for (int y = 0; y < part.height; ++y)
    for (int x = 0; x < part.width * 3; ++x) {
      const int a = part.rgb[static_cast<std::size_t>(y * part.width * 3 + x)];
      const int b = full.rgb[static_cast<std::size_t>((y + part.origin_y) * full.width * 3 + part.origin_x * 3 + x)];
      differing += a != b;
    }
  EXPECT_EQ(differing, 0);
}

TEST(JpegDecode, ScaledDecodeHasTheScaledSize) {
  const auto jpeg = sample_jpeg("000000000785.jpg");
  for (int d : {2, 4, 8}) {
    DecodedRegion r;
    decode_jpeg_region(jpeg.data(), jpeg.size(), {0, 0, 640, 425}, d, r);
    EXPECT_EQ(r.width, (640 + d - 1) / d) << d;
    EXPECT_EQ(r.height, (425 + d - 1) / d) << d;
    EXPECT_EQ(r.scale_denom, d);
    EXPECT_EQ(r.image_width, 640);
  }
}

TEST(JpegDecode, ARegionOutsideTheImageIsEmpty) {
  const auto jpeg = sample_jpeg("000000000785.jpg");
  DecodedRegion r;
  decode_jpeg_region(jpeg.data(), jpeg.size(), {700, 500, 800, 600}, 1, r);
  EXPECT_EQ(r.width * r.height, 0);
}

TEST(JpegDecode, CorruptAndTruncatedDataAreErrors) {
  const auto jpeg = sample_jpeg("000000040083.jpg");
  DecodedRegion r;
  const std::vector<std::uint8_t> truncated(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(jpeg.size() / 2));
  EXPECT_THROW(decode_jpeg_region(truncated.data(), truncated.size(), {0, 0, 10000, 10000}, 1, r), Error);
  std::vector<std::uint8_t> garbage(jpeg.size(), 0x5a);
  EXPECT_THROW(decode_jpeg_region(garbage.data(), garbage.size(), {0, 0, 100, 100}, 1, r), Error);
  garbage[0] = 0xFF;
  garbage[1] = 0xD8;  // a start marker followed by noise
  EXPECT_THROW(decode_jpeg_region(garbage.data(), garbage.size(), {0, 0, 100, 100}, 1, r), Error);
  EXPECT_THROW(read_jpeg_header(garbage.data(), 10), Error);
  std::vector<std::uint8_t> damaged = jpeg;
  for (std::size_t i = damaged.size() / 3; i < damaged.size() / 3 + 64; ++i) damaged[i] = 0xFF;
  EXPECT_THROW(decode_jpeg_region(damaged.data(), damaged.size(), {0, 0, 10000, 10000}, 1, r), Error);
}

}  // namespace
}  // namespace pose
