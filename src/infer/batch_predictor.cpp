#include "infer/batch_predictor.h"

#include <algorithm>

#include "core/error.h"
#include "data/augment.h"
#include "eval/heatmap_decode.h"
#include "kernels/host_transfer.h"

namespace pose {
namespace {

// Mirrors every image of an NHWC f32 batch along its width.
void mirror_images(const TensorView& in, const TensorView& out) {
  const std::int64_t n = in.shape[0], h = in.shape[1], w = in.shape[2], c = in.shape[3];
  const float* src = in.as<float>();
  float* dst = out.as<float>();
  for (std::int64_t row = 0; row < n * h; ++row)
    for (std::int64_t x = 0; x < w; ++x)
      std::copy(src + (row * w + (w - 1 - x)) * c, src + (row * w + (w - 1 - x) + 1) * c, dst + (row * w + x) * c);
}

PeakRefine peak_refine_of(const Config& config) {
  if (!config.test.post_process) return {PeakRefine::None};
  if (config.test.peak_refine == "taylor") return {PeakRefine::Taylor, config.data.sigma};
  return {PeakRefine::Quarter};
}

}  // namespace

BatchPredictor::BatchPredictor(const PoseResNetSpec& spec, const DeviceContext& ctx, int batch, const Config& config)
    : ctx_(ctx), test_(config.test), refine_(peak_refine_of(config)), net_(spec, ctx, batch, /*trainable=*/false) {
  if (test_.flip_test && spec.num_joints != kCocoJoints)
    throw UserError(cat("test.flip_test needs the ", kCocoJoints, " COCO joints (model.num_joints is ",
                        spec.num_joints, ")"));
  if (test_.flip_test)
    mirrored_ = ctx.device() == Device::CUDA ? Tensor::pinned(net_.input().shape, DType::F32)
                                             : Tensor::empty(net_.input().shape, DType::F32, Device::CPU);
  // The flip's misalignment in heatmap columns is 1 - 1/stride (docs/reference_behaviour.md 6).
  const double exact = 1.0 - static_cast<double>(net_.heatmaps().shape[2]) / static_cast<double>(net_.input().shape[2]);
  flip_shift_ = !test_.shift_heatmap ? 0.0 : test_.flip_shift == "exact" ? exact : 1.0;
}

std::vector<float> BatchPredictor::infer(const TensorView& images) {
  net_.load_input(images);
  net_.forward(/*training=*/false);
  return to_host_floats(ctx_, net_.heatmaps());
}

void BatchPredictor::predict(const TensorView& images, const std::vector<SampleInfo>& samples,
                             std::vector<PosePrediction>& out) {
  const int count = static_cast<int>(samples.size());
  std::vector<float> heatmaps = infer(images);
  const TensorView hm = net_.heatmaps();
  const int h = static_cast<int>(hm.shape[1]), w = static_cast<int>(hm.shape[2]), joints = static_cast<int>(hm.shape[3]);
  const std::size_t per_sample = static_cast<std::size_t>(h) * w * joints;
  if (test_.flip_test) {
    mirror_images(images, mirrored_);
    const std::vector<float> flipped = infer(mirrored_);
    std::vector<float> back(per_sample);
    for (int n = 0; n < count; ++n) {
      flip_back_heatmaps(flipped.data() + n * per_sample, h, w, flip_shift_, back.data());
      float* mine = heatmaps.data() + n * per_sample;
      for (std::size_t i = 0; i < per_sample; ++i) mine[i] = 0.5f * (mine[i] + back[i]);
    }
  }
  std::vector<std::array<double, 2>> centers, scales;
  for (const SampleInfo& info : samples) {
    centers.push_back({info.center[0], info.center[1]});
    scales.push_back({info.scale[0], info.scale[1]});
  }
  std::vector<double> keypoints(static_cast<std::size_t>(count) * joints * 3);
  decode_heatmaps(HeatmapBatch{heatmaps.data(), count, h, w, joints}, joints, centers.data(), scales.data(),
                  refine_, keypoints.data());
  for (int n = 0; n < count; ++n) {
    const SampleInfo& info = samples[static_cast<std::size_t>(n)];
    PosePrediction p;
    p.image_id = info.image_id;
    std::copy(keypoints.begin() + n * joints * 3, keypoints.begin() + (n + 1) * joints * 3, p.keypoints.begin());
    p.center = centers[static_cast<std::size_t>(n)];
    p.scale = scales[static_cast<std::size_t>(n)];
    p.area = (200.0 * p.scale[0]) * (200.0 * p.scale[1]);
    p.score = info.score;
    out.push_back(p);
  }
}

}  // namespace pose
