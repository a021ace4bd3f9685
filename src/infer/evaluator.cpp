#include "infer/evaluator.h"

#include <chrono>
#include <filesystem>

#include "core/error.h"
#include "core/log.h"
#include "data/augment.h"
#include "data/loader.h"
#include "data/loader_config.h"
#include "data/sampler.h"
#include "data/shard_fit.h"
#include "dist/mpi_check.h"
#include "eval/coco_eval.h"
#include "eval/coco_results.h"
#include "eval/heatmap_decode.h"
#include "eval/results_writer.h"
#include "eval/select_predictions.h"
#include "kernels/host_transfer.h"
#include "model/model_config.h"
#include "model/weights.h"

namespace pose {
namespace {

// A pose travels between ranks as this many doubles: image id, 51 keypoint values, center,
// scale, area, score.
constexpr int kPoseDoubles = 1 + 51 + 2 + 2 + 1 + 1;

void pack(const PosePrediction& p, double* out) {
  out[0] = static_cast<double>(p.image_id);
  std::copy(p.keypoints.begin(), p.keypoints.end(), out + 1);
  out[52] = p.center[0];
  out[53] = p.center[1];
  out[54] = p.scale[0];
  out[55] = p.scale[1];
  out[56] = p.area;
  out[57] = p.score;
}

PosePrediction unpack(const double* in) {
  PosePrediction p;
  p.image_id = static_cast<std::int64_t>(in[0]);
  std::copy(in + 1, in + 52, p.keypoints.begin());
  p.center = {in[52], in[53]};
  p.scale = {in[54], in[55]};
  p.area = in[56];
  p.score = in[57];
  return p;
}

// Rank 0 receives every rank's poses, in rank order (which is record order).
std::vector<PosePrediction> gather_poses(Runtime& runtime, const std::vector<PosePrediction>& local) {
  std::vector<double> send(local.size() * kPoseDoubles);
  for (std::size_t i = 0; i < local.size(); ++i) pack(local[i], send.data() + i * kPoseDoubles);
  int count = static_cast<int>(send.size());
  std::vector<int> counts(static_cast<std::size_t>(runtime.size())), offsets(counts.size());
  POSE_MPI_CHECK(MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, runtime.world()));
  std::vector<double> all;
  if (runtime.is_root()) {
    int total = 0;
    for (std::size_t r = 0; r < counts.size(); ++r) {
      offsets[r] = total;
      total += counts[r];
    }
    all.resize(static_cast<std::size_t>(total));
  }
  POSE_MPI_CHECK(MPI_Gatherv(send.data(), count, MPI_DOUBLE, all.data(), counts.data(), offsets.data(), MPI_DOUBLE,
                             0, runtime.world()));
  std::vector<PosePrediction> poses;
  for (std::size_t i = 0; i + kPoseDoubles <= all.size(); i += kPoseDoubles) poses.push_back(unpack(all.data() + i));
  return poses;
}

// Mirrors every image of an NHWC f32 batch along its width.
void mirror_images(const TensorView& in, const TensorView& out) {
  const std::int64_t n = in.shape[0], h = in.shape[1], w = in.shape[2], c = in.shape[3];
  const float* src = in.as<float>();
  float* dst = out.as<float>();
  for (std::int64_t row = 0; row < n * h; ++row)
    for (std::int64_t x = 0; x < w; ++x)
      std::copy(src + (row * w + (w - 1 - x)) * c, src + (row * w + (w - 1 - x) + 1) * c, dst + (row * w + x) * c);
}

// Every rank takes rank 0's values of an f32 tensor (through the host for device memory).
void broadcast_from_root(Runtime& runtime, const DeviceContext& ctx, const TensorView& t) {
  if (runtime.size() == 1) return;
  std::vector<float> host = to_host_floats(ctx, t);
  POSE_MPI_CHECK(MPI_Bcast(host.data(), static_cast<int>(host.size()), MPI_FLOAT, 0, runtime.world()));
  from_host_floats(ctx, t, host);
}

std::string protocol_of(const Config& c) {
  return cat(c.test.use_gt_bbox ? "ground-truth boxes" : "detector boxes", ", flip test ",
             c.test.flip_test ? "on" : "off", c.test.flip_test ? (c.test.shift_heatmap ? " (shift on)" : " (shift off)") : "",
             ", post-process ", c.test.post_process ? "on" : "off");
}

}  // namespace

struct Evaluator::State {
  Runtime& runtime;
  const DeviceContext& ctx;
  Config config;
  ShardSet shards;
  std::string split;
  PoseResNet net;
  Loader loader;
  Tensor mirrored;

  State(Runtime& rt, const DeviceContext& c, const Config& cfg)
      : runtime(rt),
        ctx(c),
        config(cfg),
        shards(ShardSet::open(data_path(cfg, cfg.data.val_shards))),
        split(shards.provenance().split),
        net(spec_from_config(cfg), c, cfg.test.batch_size, /*trainable=*/false),
        loader(shards, loader_settings(cfg, /*training=*/false, c.device() == Device::CUDA)) {
    check_input_aspect(shards, cfg, "data.val_shards");
    check_eval_boxes(shards, cfg);
    if (cfg.test.flip_test && cfg.model.num_joints != kCocoJoints)
      throw UserError(cat("test.flip_test needs the ", kCocoJoints, " COCO joints (model.num_joints is ",
                          cfg.model.num_joints, ")"));
    if (cfg.test.flip_test)
      mirrored = c.device() == Device::CUDA ? Tensor::pinned(net.input().shape, DType::F32)
                                            : Tensor::empty(net.input().shape, DType::F32, Device::CPU);
  }

  std::string gt_path() const { return config.data.root + "/annotations/person_keypoints_" + split + ".json"; }

  // Forward on a host image batch; returns the heatmaps as host f32 NHWC.
  std::vector<float> infer(const TensorView& images) {
    net.load_input(images);
    net.forward(/*training=*/false);
    return to_host_floats(ctx, net.heatmaps());
  }

  void add_poses(const Batch& batch, std::vector<PosePrediction>& out) {
    std::vector<float> heatmaps = infer(batch.images);
    const TensorView hm = net.heatmaps();
    const int h = static_cast<int>(hm.shape[1]), w = static_cast<int>(hm.shape[2]), joints = static_cast<int>(hm.shape[3]);
    const std::size_t per_sample = static_cast<std::size_t>(h) * w * joints;
    if (config.test.flip_test) {
      mirror_images(batch.images, mirrored);
      const std::vector<float> flipped = infer(mirrored);
      std::vector<float> back(per_sample);
      for (int n = 0; n < batch.count; ++n) {
        flip_back_heatmaps(flipped.data() + n * per_sample, h, w, config.test.shift_heatmap, back.data());
        float* mine = heatmaps.data() + n * per_sample;
        for (std::size_t i = 0; i < per_sample; ++i) mine[i] = 0.5f * (mine[i] + back[i]);
      }
    }
    std::vector<std::array<double, 2>> centers, scales;
    for (int n = 0; n < batch.count; ++n) {
      const SampleInfo& info = batch.samples[static_cast<std::size_t>(n)];
      centers.push_back({info.center[0], info.center[1]});
      scales.push_back({info.scale[0], info.scale[1]});
    }
    std::vector<double> keypoints(static_cast<std::size_t>(batch.count) * joints * 3);
    decode_heatmaps(HeatmapBatch{heatmaps.data(), batch.count, h, w, joints}, joints, centers.data(), scales.data(),
                    config.test.post_process, keypoints.data());
    for (int n = 0; n < batch.count; ++n) {
      const SampleInfo& info = batch.samples[static_cast<std::size_t>(n)];
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
};

Evaluator::Evaluator(Runtime& runtime, const DeviceContext& ctx, const Config& config)
    : s_(std::make_unique<State>(runtime, ctx, config)) {}

Evaluator::~Evaluator() = default;

EvalSummary Evaluator::evaluate(const PoseResNet& weights, const std::string& out_dir) {
  State& s = *s_;
  const auto start = std::chrono::steady_clock::now();
  copy_weights(weights, s.net);
  // BN running statistics are per rank during training; evaluate with rank 0's on every rank,
  // as a checkpoint (written by rank 0) would.
  broadcast_from_root(s.runtime, s.ctx, s.net.stats().all_master());
  const IndexRange range = eval_range(s.shards.size(), s.runtime.rank(), s.runtime.size());
  std::vector<std::vector<std::size_t>> batches;
  for (std::size_t i = range.begin; i < range.end; i += static_cast<std::size_t>(s.config.test.batch_size)) {
    batches.emplace_back();
    for (std::size_t j = i; j < std::min(range.end, i + static_cast<std::size_t>(s.config.test.batch_size)); ++j)
      batches.back().push_back(j);
  }
  s.loader.start(0, std::move(batches));
  std::vector<PosePrediction> local;
  while (const Batch* batch = s.loader.next()) s.add_poses(*batch, local);
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
