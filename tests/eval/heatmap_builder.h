// Hand-made NHWC heatmap batches for the decoding and accuracy tests.
#pragma once

#include <vector>

#include "eval/heatmap_decode.h"

namespace pose::test {

// Zero-filled float heatmaps {batch, height, width, channels}; set() writes one value.
struct Heatmaps {
  int batch, height, width, channels;
  std::vector<float> values;

  Heatmaps(int n, int h, int w, int c) : batch(n), height(h), width(w), channels(c), values(std::size_t(n) * h * w * c) {}
  void set(int n, int y, int x, int c, float v) { values[((std::size_t(n) * height + y) * width + x) * channels + c] = v; }
  HeatmapBatch view() const { return {values.data(), batch, height, width, channels}; }
};

}  // namespace pose::test
