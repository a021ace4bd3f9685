#include "data/jpeg_decode.h"

#include <csetjmp>
#include <cstdio>
#include <string>
// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

#include <algorithm>

#include "core/error.h"

namespace pose {
namespace {

// libjpeg reports errors through a callback that must not return. We longjmp back to the
// decoding function, which has no C++ objects with destructors between setjmp and the libjpeg
// calls, then throw from there.
struct ErrorManager {
  jpeg_error_mgr base;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void on_error(j_common_ptr cinfo) {
  auto* manager = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, manager->message);
  std::longjmp(manager->jump, 1);
}

// Corrupt-data warnings (e.g. "premature end of data segment") become errors too.
void on_message(j_common_ptr cinfo, int level) {
  if (level < 0) on_error(cinfo);
}

void install(jpeg_decompress_struct& cinfo, ErrorManager& errors) {
  cinfo.err = jpeg_std_error(&errors.base);
  errors.base.error_exit = on_error;
  errors.base.emit_message = on_message;
  errors.message[0] = '\0';
}

// Adobe CMYK JPEGs store inverted ink values; RGB = (255 - ink) scaled by (255 - black)
// becomes, with the inversion, C * K / 255 per channel.
void cmyk_to_rgb(const std::uint8_t* cmyk, std::uint8_t* rgb, int pixels) {
  for (int i = 0; i < pixels; ++i, cmyk += 4, rgb += 3) {
    const int k = cmyk[3];
    rgb[0] = static_cast<std::uint8_t>(cmyk[0] * k / 255);
    rgb[1] = static_cast<std::uint8_t>(cmyk[1] * k / 255);
    rgb[2] = static_cast<std::uint8_t>(cmyk[2] * k / 255);
  }
}

// Returns false with errors.message set on failure. Only plain data lives in this frame.
bool decode(const std::uint8_t* data, std::size_t size, PixelBox want, int denom,
            DecodedRegion& out, std::vector<std::uint8_t>& cmyk_row, ErrorManager& errors) {
  jpeg_decompress_struct cinfo;
  install(cinfo, errors);
  if (setjmp(errors.jump)) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(&cinfo, TRUE);
  out.image_width = static_cast<int>(cinfo.image_width);
  out.image_height = static_cast<int>(cinfo.image_height);
  const bool cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
  cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
  cinfo.scale_num = 1;
  cinfo.scale_denom = static_cast<unsigned>(denom);
  jpeg_start_decompress(&cinfo);

  // The wanted box in scaled pixels, rounded outwards and clipped to the scaled image.
  const int scaled_w = static_cast<int>(cinfo.output_width);
  const int scaled_h = static_cast<int>(cinfo.output_height);
  const int x0 = std::clamp(want.x0 / denom, 0, scaled_w);
  const int y0 = std::clamp(want.y0 / denom, 0, scaled_h);
  const int x1 = std::clamp((want.x1 + denom - 1) / denom, 0, scaled_w);
  const int y1 = std::clamp((want.y1 + denom - 1) / denom, 0, scaled_h);
  out.scale_denom = denom;
  if (x1 <= x0 || y1 <= y0) {
    out.width = out.height = 0;
    out.origin_x = x0;
    out.origin_y = y0;
    jpeg_destroy_decompress(&cinfo);
    return true;
  }
  JDIMENSION crop_x = static_cast<JDIMENSION>(x0);
  JDIMENSION crop_w = static_cast<JDIMENSION>(x1 - x0);
  if (crop_w < cinfo.output_width) jpeg_crop_scanline(&cinfo, &crop_x, &crop_w);
  out.origin_x = static_cast<int>(crop_x);
  out.origin_y = y0;
  out.width = static_cast<int>(cinfo.output_width);
  out.height = y1 - y0;
  out.rgb.resize(static_cast<std::size_t>(out.width) * out.height * 3);
  if (cmyk) cmyk_row.resize(static_cast<std::size_t>(out.width) * 4);

  if (y0 > 0) jpeg_skip_scanlines(&cinfo, static_cast<JDIMENSION>(y0));
  for (int row = 0; row < out.height; ++row) {
    std::uint8_t* dst = out.rgb.data() + static_cast<std::size_t>(row) * out.width * 3;
    JSAMPROW line = cmyk ? cmyk_row.data() : dst;
    if (jpeg_read_scanlines(&cinfo, &line, 1) != 1) {
      std::snprintf(errors.message, sizeof errors.message, "no scanline %d", y0 + row);
      jpeg_destroy_decompress(&cinfo);
      return false;
    }
    if (cmyk) cmyk_to_rgb(cmyk_row.data(), dst, out.width);
  }
  // The rest of the image is never decoded: destroying mid-image is allowed.
  jpeg_destroy_decompress(&cinfo);
  return true;
}

}  // namespace

JpegHeader read_jpeg_header(const std::uint8_t* data, std::size_t size) {
  jpeg_decompress_struct cinfo;
  ErrorManager errors;
  install(cinfo, errors);
  if (setjmp(errors.jump)) {
    jpeg_destroy_decompress(&cinfo);
    throw Error(cat("not a readable JPEG: ", errors.message));
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(&cinfo, TRUE);
  JpegHeader header{static_cast<int>(cinfo.image_width), static_cast<int>(cinfo.image_height),
                    cinfo.num_components};
  jpeg_destroy_decompress(&cinfo);
  return header;
}

void decode_jpeg_region(const std::uint8_t* data, std::size_t size, PixelBox want,
                        int scale_denom, DecodedRegion& out) {
  POSE_CHECK(scale_denom == 1 || scale_denom == 2 || scale_denom == 4 || scale_denom == 8,
             "JPEG scale 1/", scale_denom);
  if (size < 4 || data[0] != 0xFF || data[1] != 0xD8)
    throw Error("not a JPEG (no start-of-image marker)");
  thread_local std::vector<std::uint8_t> cmyk_row;
  ErrorManager errors;
  if (!decode(data, size, want, scale_denom, out, cmyk_row, errors))
    throw Error(cat("corrupt JPEG: ", errors.message));
}

}  // namespace pose
