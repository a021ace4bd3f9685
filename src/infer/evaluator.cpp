#include "infer/evaluator.h"

#include <chrono>
#include <filesystem>

#include "core/error.h"
#include "core/log.h"
#include "data/loader.h"
#include "data/loader_config.h"
#include "data/sampler.h"
#include "data/shard_fit.h"
#include "dist/mpi_check.h"
#include "eval/coco_eval.h"
#include "eval/coco_results.h"
#include "eval/results_writer.h"
#include "eval/select_predictions.h"
#include "infer/batch_predictor.h"
#include "infer/gather_poses.h"
#include "kernels/host_transfer.h"
#include "model/model_config.h"
#include "model/weights.h"

namespace pose {
namespace {

// Every rank takes rank 0's values of an f32 tensor (through the host for device memory).
void broadcast_from_root(Runtime& runtime, const DeviceContext& ctx, const TensorView& t) {
  if (runtime.size() == 1) return;
  std::vector<float> host = to_host_floats(ctx, t);
  POSE_MPI_CHECK(MPI_Bcast(host.data(), static_cast<int>(host.size()), MPI_FLOAT, 0, runtime.world()));
  from_host_floats(ctx, t, host);
}

std::string protocol_of(const Config& c) {
  return cat(c.test.use_gt_bbox ? "ground-truth boxes" : "detector boxes", ", flip test ",
             c.test.flip_test ? "on" : "off", c.test.flip_test ? (c.test.shift_heatmap ? cat(" (shift ", c.test.flip_shift, ")") : " (shift off)") : "",
             ", post-process ", c.test.post_process ? cat("on (", c.test.peak_refine, ")") : "off");
}

}  // namespace

struct Evaluator::State {
  Runtime& runtime;
  const DeviceContext& ctx;
  Config config;
  ShardSet shards;
  std::string split;
  BatchPredictor predictor;
  Loader loader;

  State(Runtime& rt, const DeviceContext& c, const Config& cfg)
      : runtime(rt),
        ctx(c),
        config(cfg),
        shards(ShardSet::open(data_path(cfg, cfg.data.val_shards))),
        split(shards.provenance().split),
        predictor(spec_from_config(cfg), c, cfg.test.batch_size, cfg),
        loader(shards, loader_settings(cfg, /*training=*/false, c.device() == Device::CUDA)) {
    check_input_aspect(shards, cfg, "data.val_shards");
    check_eval_boxes(shards, cfg);
  }

  std::string gt_path() const { return config.data.root + "/annotations/person_keypoints_" + split + ".json"; }
};

Evaluator::Evaluator(Runtime& runtime, const DeviceContext& ctx, const Config& config)
    : s_(std::make_unique<State>(runtime, ctx, config)) {}

Evaluator::~Evaluator() = default;

EvalSummary Evaluator::evaluate(const PoseResNet& weights, const std::string& out_dir) {
  State& s = *s_;
  const auto start = std::chrono::steady_clock::now();
  copy_weights(weights, s.predictor.net());
  // BN running statistics are per rank during training; evaluate with rank 0's on every rank,
  // as a checkpoint (written by rank 0) would.
  broadcast_from_root(s.runtime, s.ctx, s.predictor.net().stats().all_master());
  const IndexRange range = eval_range(s.shards.size(), s.runtime.rank(), s.runtime.size());
  std::vector<std::vector<std::size_t>> batches;
  for (std::size_t i = range.begin; i < range.end; i += static_cast<std::size_t>(s.config.test.batch_size)) {
    batches.emplace_back();
    for (std::size_t j = i; j < std::min(range.end, i + static_cast<std::size_t>(s.config.test.batch_size)); ++j)
      batches.back().push_back(j);
  }
  s.loader.start(0, std::move(batches));
  std::vector<PosePrediction> local;
  while (const Batch* batch = s.loader.next()) {
    const std::vector<SampleInfo> samples(batch->samples.begin(), batch->samples.begin() + batch->count);
    s.predictor.predict(batch->images, samples, local);
  }
  const std::vector<PosePrediction> all = gather_poses(s.runtime, local);

  EvalSummary summary;
  summary.protocol = protocol_of(s.config);
  double shared[12] = {};  // scored, poses, stats
  if (s.runtime.is_root()) {
    std::error_code error;
    std::filesystem::create_directories(out_dir, error);
    if (error)
      throw UserError(cat("cannot create the results folder '", out_dir, "' (test.results_dir, --out): ",
                          error.message()));
    const std::string results = out_dir + "/keypoints_" + s.split + "_results.json";
    const std::vector<PosePrediction> kept = select_predictions(all, s.config.test.in_vis_thre, s.config.test.oks_thre);
    write_coco_results(results, kept);
    shared[1] = static_cast<double>(all.size());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    log::info(all.size(), " samples validated in ", seconds, " s (", all.size() / std::max(seconds, 1e-9),
              " samples/s, ", s.runtime.size(), " rank(s)); ", kept.size(), " poses after OKS-NMS written to ", results);
    if (std::filesystem::exists(s.gt_path())) {
      const CocoGroundTruth gt = load_coco_gt(s.gt_path());
      const CocoKeypointStats stats = evaluate_coco_keypoints(gt, load_coco_results(results, gt));
      shared[0] = 1;
      std::copy(stats.values.begin(), stats.values.end(), shared + 2);
      log::info("COCO keypoint AP on ", s.split, " (", summary.protocol, "):\n", format_stats_table(stats));
    } else {
      log::warn("no ground truth at '", s.gt_path(), "': results written, not scored");
    }
  }
  POSE_MPI_CHECK(MPI_Bcast(shared, 12, MPI_DOUBLE, 0, s.runtime.world()));
  summary.scored = shared[0] != 0;
  summary.poses = static_cast<std::size_t>(shared[1]);
  std::copy(shared + 2, shared + 12, summary.stats.begin());
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace pose
