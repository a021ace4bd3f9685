#include "viz/sample_pictures.h"

#include <algorithm>
#include <filesystem>

#include "core/error.h"
#include "data/loader.h"
#include "data/loader_config.h"
#include "viz/network_input.h"
#include "viz/skeleton.h"

namespace pose {
namespace {

// Each pixel repeated factor x factor times, so small network inputs stay legible.
Picture enlarge(const Picture& p, int factor) {
  Picture out(p.width * factor, p.height * factor);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x)
      std::copy_n(p.rgb.begin() + (static_cast<std::ptrdiff_t>(y / factor) * p.width + x / factor) * 3, 3,
                  out.rgb.begin() + (static_cast<std::ptrdiff_t>(y) * out.width + x) * 3);
  return out;
}

}  // namespace

std::size_t write_sample_pictures(const Config& config, std::size_t count, const std::string& out_dir) {
  const ShardSet shards = ShardSet::open(data_path(config, config.data.train_shards));
  const LoaderSettings settings = loader_settings(config, /*training=*/true, /*pinned=*/false);
  Loader loader(shards, settings);
  std::vector<std::vector<std::size_t>> batches;
  for (std::size_t i = 0; i < std::min(count, shards.size()); ++i) {
    if (i % static_cast<std::size_t>(settings.batch_size) == 0) batches.emplace_back();
    batches.back().push_back(i);
  }
  loader.start(0, std::move(batches));
  std::filesystem::create_directories(out_dir);
  const SampleSettings& s = settings.sample;
  const int factor = std::max(1, (256 + s.input_height - 1) / s.input_height);
  const std::size_t image_floats = static_cast<std::size_t>(s.input_width) * s.input_height * 3;
  const std::size_t target_floats = static_cast<std::size_t>(s.heatmap_width) * s.heatmap_height * s.num_joints;
  std::size_t written = 0;
  while (const Batch* batch = loader.next()) {
    for (int n = 0; n < batch->count; ++n) {
      const float* targets = batch->targets.data<float>() + n * target_floats;
      const float* weights = batch->weights.data<float>() + n * s.num_joints;
      Picture p = denormalize(batch->images.data<float>() + n * image_floats, s.input_width, s.input_height,
                              s.normalization);
      overlay_heatmaps(p, targets, s.heatmap_height, s.heatmap_width, s.num_joints);
      p = enlarge(p, factor);
      draw_pose(p, joints_from_targets(targets, weights, s.heatmap_height, s.heatmap_width, s.num_joints, p.width, p.height),
                PoseStyle{});
      write_jpeg_picture(cat(out_dir, "/sample_", batch->samples[static_cast<std::size_t>(n)].record, ".jpg"), p);
      ++written;
    }
  }
  return written;
}

}  // namespace pose
