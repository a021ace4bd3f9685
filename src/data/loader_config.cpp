#include "data/loader_config.h"

namespace pose {

std::string data_path(const Config& config, const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  return config.data.root + "/" + path;
}

LoaderSettings loader_settings(const Config& config, bool training, bool pinned) {
  LoaderSettings s;
  SampleSettings& sample = s.sample;
  sample.input_width = config.data.image_width;
  sample.input_height = config.data.image_height;
  sample.heatmap_width = config.data.heatmap_width;
  sample.heatmap_height = config.data.heatmap_height;
  sample.num_joints = config.model.num_joints;
  sample.sigma = static_cast<float>(config.data.sigma);
  sample.target_center = config.data.target_center == "exact" ? TargetCenter::Exact : TargetCenter::Rounded;
  sample.augment = training;
  const std::string& decode = training ? config.data.decode : config.test.decode;
  sample.decode = decode == "fast" ? DecodeMode::Fast : DecodeMode::Exact;
  sample.augmentation.scale_factor = config.data.scale_factor;
  sample.augmentation.rotation_factor = config.data.rotation_factor;
  sample.augmentation.rotation_prob = config.data.rotation_prob;
  sample.augmentation.flip = config.data.flip;
  sample.normalization.order = config.data.color_order == "bgr" ? ColorOrder::BGR : ColorOrder::RGB;
  sample.seed = static_cast<std::uint64_t>(config.run.seed);
  s.batch_size = training ? config.train.batch_size : config.test.batch_size;
  s.threads = config.data.loader_threads;
  s.prefetch_batches = config.data.prefetch_batches;
  s.pinned = pinned;
  return s;
}

}  // namespace pose
