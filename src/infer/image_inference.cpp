#include "infer/image_inference.h"

#include "core/error.h"

namespace pose {

std::size_t count_people(const std::vector<ImageJob>& jobs) {
  std::size_t n = 0;
  for (const ImageJob& job : jobs) n += job.people.size();
  return n;
}

std::vector<PosePrediction> infer_people(const std::vector<ImageJob>& jobs, std::size_t begin, std::size_t end,
                                         const SampleSettings& settings, BatchPredictor& predictor,
                                         std::vector<std::string>& problems) {
  const TensorView input = predictor.net().input();
  const int batch = static_cast<int>(input.shape[0]);
  const std::size_t image_floats = static_cast<std::size_t>(input.numel() / batch);
  Tensor images = Tensor::empty(input.shape, DType::F32, Device::CPU);
  std::vector<float> targets(static_cast<std::size_t>(settings.heatmap_width) * settings.heatmap_height *
                             settings.num_joints);
  std::vector<float> weights(static_cast<std::size_t>(settings.num_joints));
  const SampleBuilder builder(settings);

  std::vector<PosePrediction> poses;
  std::vector<SampleInfo> samples;
  auto flush = [&] {
    if (!samples.empty()) predictor.predict(images, samples, poses);
    samples.clear();
  };
  std::size_t index = 0;
  for (const ImageJob& job : jobs) {
    const std::size_t first = index;
    index += job.people.size();
    if (index <= begin || first >= end) continue;
    std::vector<std::uint8_t> jpeg;
    try {
      jpeg = read_image_bytes(job.path);
    } catch (const UserError& e) {
      problems.push_back(cat("'", job.path, "': ", e.what(), "; skipped"));
      continue;
    }
    for (std::size_t k = std::max(first, begin); k < std::min(index, end); ++k) {
      SampleInfo info;
      try {
        builder.build(job.people[k - first], k, 0, jpeg, images.data<float>() + samples.size() * image_floats,
                      targets.data(), weights.data(), info);
      } catch (const Error& e) {
        problems.push_back(cat("'", job.path, "': cannot be decoded (", e.what(), "); skipped"));
        break;
      }
      samples.push_back(info);
      if (static_cast<int>(samples.size()) == batch) flush();
    }
  }
  flush();
  return poses;
}

}  // namespace pose
