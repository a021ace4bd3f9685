#include "viz/picture.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/error.h"
#include "data/jpeg_decode.h"
#include "data/jpeg_encode.h"
#include "io/file.h"

namespace pose {
namespace {

// Coverage of a pixel whose centre is `distance` from a shape's edge at `radius`: 1 inside,
// falling linearly to 0 over the pixel that the edge crosses.
double coverage(double distance, double radius) { return std::clamp(radius + 0.5 - distance, 0.0, 1.0); }

}  // namespace

Picture::Picture(int w, int h, Rgb fill) : width(w), height(h), rgb(static_cast<std::size_t>(w) * h * 3) {
  for (std::size_t i = 0; i < rgb.size(); i += 3) std::copy(fill.begin(), fill.end(), rgb.begin() + i);
}

void Picture::blend(int x, int y, Rgb color, double alpha) {
  if (x < 0 || y < 0 || x >= width || y >= height || alpha <= 0) return;
  std::uint8_t* px = rgb.data() + (static_cast<std::size_t>(y) * width + x) * 3;
  for (int c = 0; c < 3; ++c) px[c] = static_cast<std::uint8_t>(std::lround(px[c] + alpha * (color[c] - px[c])));
}

void draw_disc(Picture& p, double cx, double cy, double radius, Rgb color, double alpha) {
  for (int y = static_cast<int>(std::floor(cy - radius - 1)); y <= static_cast<int>(std::ceil(cy + radius + 1)); ++y)
    for (int x = static_cast<int>(std::floor(cx - radius - 1)); x <= static_cast<int>(std::ceil(cx + radius + 1)); ++x)
      p.blend(x, y, color, alpha * coverage(std::hypot(x - cx, y - cy), radius));
}

void draw_thick_line(Picture& p, double x0, double y0, double x1, double y1, double radius, Rgb color,
                     double alpha) {
  const double dx = x1 - x0, dy = y1 - y0, length2 = dx * dx + dy * dy;
  const int xa = static_cast<int>(std::floor(std::min(x0, x1) - radius - 1));
  const int xb = static_cast<int>(std::ceil(std::max(x0, x1) + radius + 1));
  const int ya = static_cast<int>(std::floor(std::min(y0, y1) - radius - 1));
  const int yb = static_cast<int>(std::ceil(std::max(y0, y1) + radius + 1));
  for (int y = std::max(ya, 0); y <= std::min(yb, p.height - 1); ++y)
    for (int x = std::max(xa, 0); x <= std::min(xb, p.width - 1); ++x) {
      const double t = length2 > 0 ? std::clamp(((x - x0) * dx + (y - y0) * dy) / length2, 0.0, 1.0) : 0.0;
      p.blend(x, y, color, alpha * coverage(std::hypot(x - (x0 + t * dx), y - (y0 + t * dy)), radius));
    }
}

Picture side_by_side(const Picture& left, const Picture& right, int gap) {
  Picture out(left.width + gap + right.width, std::max(left.height, right.height), {128, 128, 128});
  auto paste = [&out](const Picture& src, int x0) {
    for (int y = 0; y < src.height; ++y)
      std::copy_n(src.rgb.begin() + static_cast<std::ptrdiff_t>(y) * src.width * 3, src.width * 3,
                  out.rgb.begin() + (static_cast<std::ptrdiff_t>(y) * out.width + x0) * 3);
  };
  paste(left, 0);
  paste(right, left.width + gap);
  return out;
}

Picture read_jpeg_picture(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError(cat("cannot read the image '", path, "'"));
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  DecodedRegion region;
  try {
    decode_jpeg_region(bytes.data(), bytes.size(), PixelBox{0, 0, 1 << 30, 1 << 30}, 1, region);
  } catch (const Error& e) {
    throw UserError(cat("the image '", path, "' is not a readable JPEG: ", e.what()));
  }
  Picture p;
  p.width = region.width;
  p.height = region.height;
  p.rgb = std::move(region.rgb);
  return p;
}

void write_jpeg_picture(const std::string& path, const Picture& p) {
  const std::vector<std::uint8_t> jpeg = encode_jpeg_rgb(p.rgb.data(), p.width, p.height, 90);
  const std::string partial = path + ".partial";
  File file(partial, "wb");
  file.write_all(jpeg.data(), jpeg.size());
  file.close();
  std::error_code error;
  std::filesystem::rename(partial, path, error);
  if (error) throw UserError(cat("cannot rename '", partial, "' to '", path, "': ", error.message()));
}

}  // namespace pose
