// JPEG encoding (libjpeg API of libjpeg-turbo), for the synthetic dataset generator.
#pragma once

#include <cstdint>
#include <vector>

namespace pose {

// Baseline JPEG of an RGB image (rows of width * 3 bytes). Throws pose::Error on failure.
std::vector<std::uint8_t> encode_jpeg_rgb(const std::uint8_t* rgb, int width, int height, int quality);

}  // namespace pose
