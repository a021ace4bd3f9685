// BatchPredictor: poses from a batch of network inputs, the reference's inference step
// (docs/reference_behaviour.md section 6): forward, optionally the flip test (mirrored input, heatmaps flipped
// back with the joint pairs swapped and, with shift_heatmap, moved one column), heatmap
// decoding with the optional post-process (quarter-cell or Taylor refinement), and the crop's box back to image
// pixels. One code path for evaluation (infer/evaluator.h) and inference on images (pose_infer).
#pragma once

#include <vector>

#include "config/config.h"
#include "core/device_context.h"
#include "data/sample_builder.h"
#include "eval/heatmap_decode.h"
#include "eval/pose_prediction.h"
#include "model/pose_resnet.h"

namespace pose {

class BatchPredictor {
 public:
  // An inference-only network of `spec` for batches of up to `batch` samples; flip test,
  // shift and post-process as config.test says (the Taylor refinement smooths with
  // data.sigma). UserError when the flip test is asked of a network without the 17 COCO joints.
  BatchPredictor(const PoseResNetSpec& spec, const DeviceContext& ctx, int batch, const Config& config);

  // The network, for loading weights into it.
  const PoseResNet& net() const { return net_; }

  // images: host f32 NHWC of the network's input shape, normalised; samples: the first
  // samples.size() of them are real (a short last batch). Appends one pose per sample, with
  // the sample's image id, box and score.
  void predict(const TensorView& images, const std::vector<SampleInfo>& samples, std::vector<PosePrediction>& out);

 private:
  std::vector<float> infer(const TensorView& images);

  const DeviceContext& ctx_;
  TestSection test_;
  PeakRefine refine_;
  double flip_shift_ = 0;  // columns the flip test moves the mirrored heatmaps (flip_back_heatmaps)
  PoseResNet net_;
  Tensor mirrored_;
};

}  // namespace pose
