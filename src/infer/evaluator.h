// Evaluator: distributed COCO keypoint evaluation of a PoseResNet (the reference's validate,
// docs/reference_behaviour.md section 6). One code path for pose_eval and for validation during training.
//
// Each rank infers a contiguous slice of the validation records (eval_range) with its own
// inference network: batches of test.batch_size, optionally the flip test (mirrored input,
// heatmaps flipped back with the joint pairs swapped and, with shift_heatmap, moved one
// column), heatmap decoding with the optional peak refinement, back to image pixels. Rank 0
// gathers every pose in record order (MPI_Gatherv), rescores them, applies OKS-NMS per image,
// writes the results file and scores it against the ground-truth annotations; every rank
// returns the same summary.
#pragma once

#include <array>
#include <memory>
#include <string>

#include "config/config.h"
#include "core/device_context.h"
#include "dist/runtime.h"
#include "model/pose_resnet.h"

namespace pose {

struct EvalSummary {
  bool scored = false;              // false when the ground truth is missing (results written only)
  std::array<double, 10> stats{};   // AP, AP50, AP75, APm, APl, AR, AR50, AR75, ARm, ARl
  std::string protocol;             // "detector boxes, flip test on, shift on" etc.
  std::size_t poses = 0;            // poses inferred (before NMS)
  double seconds = 0;
};

class Evaluator {
 public:
  // Opens the validation shards and checks their box source against test.use_gt_bbox.
  Evaluator(Runtime& runtime, const DeviceContext& ctx, const Config& config);
  ~Evaluator();

  // Collective. Evaluates `weights` (copied into the evaluator's own network) and writes
  // <out_dir>/keypoints_<split>_results.json on rank 0.
  EvalSummary evaluate(const PoseResNet& weights, const std::string& out_dir);

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace pose
