#include "data/jpeg_encode.h"

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

#include "core/error.h"

namespace pose {
namespace {

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

// Only plain data lives in this frame, so the longjmp skips no destructor.
bool encode(const std::uint8_t* rgb, int width, int height, int quality, unsigned char** data,
            unsigned long* size, ErrorManager& errors) {
  jpeg_compress_struct cinfo;
  cinfo.err = jpeg_std_error(&errors.base);
  errors.base.error_exit = on_error;
  if (setjmp(errors.jump)) {
    jpeg_destroy_compress(&cinfo);
    return false;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, data, size);
  cinfo.image_width = static_cast<JDIMENSION>(width);
  cinfo.image_height = static_cast<JDIMENSION>(height);
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(rgb + static_cast<std::size_t>(cinfo.next_scanline) * width * 3);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return true;
}

}  // namespace

std::vector<std::uint8_t> encode_jpeg_rgb(const std::uint8_t* rgb, int width, int height, int quality) {
  POSE_CHECK(width > 0 && height > 0 && quality >= 1 && quality <= 100, "encode ", width, "x", height,
             " at quality ", quality);
  unsigned char* data = nullptr;
  unsigned long size = 0;
  ErrorManager errors;
  const bool ok = encode(rgb, width, height, quality, &data, &size, errors);
  std::vector<std::uint8_t> bytes;
  if (ok) bytes.assign(data, data + size);
  std::free(data);  // jpeg_mem_dest allocates with malloc
  if (!ok) throw Error(cat("JPEG encoding failed: ", errors.message));
  return bytes;
}

}  // namespace pose
