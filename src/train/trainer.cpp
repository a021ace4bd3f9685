#include "train/trainer.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <new>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/log.h"
#include "data/loader.h"
#include "data/loader_config.h"
#include "data/sampler.h"
#include "data/shard_fit.h"
#include "data/targets.h"
#include "dist/bounded_wait.h"
#include "dist/mpi_check.h"
#include "eval/coco_summary.h"
#include "eval/pck_accuracy.h"
#include "infer/evaluator.h"
#include "io/file.h"
#include "kernels/host_transfer.h"
#include "kernels/ops.h"
#include "model/model_config.h"
#include "model/weights.h"
#include "train/checkpoint.h"
#include "train/grad_reducer.h"
#include "train/lr_schedule.h"
#include "train/optimizer.h"
#include "train/run_folder.h"
#include "train/stop_signal.h"
#include "train/train_log.h"

namespace pose {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// What to tell a user whose settings ask for more memory than there is.
std::string too_big_message(const Config& c, const std::string& what) {
  return cat(what, " while setting up training at train.batch_size ", c.train.batch_size, " (--train.batch_size) with ",
             c.data.image_width, "x", c.data.image_height, " inputs (data.image_width x data.image_height) and ",
             c.data.prefetch_batches, " prefetched batches (data.prefetch_batches), validation at test.batch_size ",
             c.test.batch_size, ": lower them, or use more ranks");
}

}  // namespace

struct Trainer::State {
  Runtime& runtime;
  const DeviceContext& ctx;
  Config config;
  std::string run_dir;
  PoseResNet net;
  ShardSet shards;
  TrainSampler sampler;
  Loader loader;
  Optimizer optimizer;
  GradientReducer reducer;
  std::unique_ptr<Evaluator> evaluator;  // none without validation shards
  TrainLog log;
  TrainProgress progress;
  Tensor targets, weights, loss, loss_sum;
  // The batch's page-locked memory returns to the loader at the next next(): wait for its
  // copies to the GPU first (they run asynchronously on the stream).
  StreamEvent batch_uploaded;

  State(Runtime& rt, const DeviceContext& c, const Config& cfg, const std::string& dir)
      : runtime(rt),
        ctx(c),
        config(cfg),
        run_dir(dir),
        net(spec_from_config(cfg), c, cfg.train.batch_size),
        shards(ShardSet::open(data_path(cfg, cfg.data.train_shards))),
        sampler(shards.size(), cfg.train.batch_size, rt.rank(), rt.size(), cfg.train.shuffle,
                static_cast<std::uint64_t>(cfg.run.seed)),
        loader(shards, loader_settings(cfg, /*training=*/true, c.device() == Device::CUDA)),
        optimizer(net, cfg.train, rt.size()),
        reducer(rt, c, cfg.run.comm, net.params().numel(), cfg.run.comm_timeout,
                cfg.run.comm_single_rank),
        evaluator(cfg.data.val_shards.empty() ? nullptr : std::make_unique<Evaluator>(rt, c, cfg)),
        log(rt.is_root() ? dir + "/train_log.jsonl" : "") {
    check_input_aspect(shards, cfg, "data.train_shards");
    const Device d = c.device();
    const TensorView heatmaps = net.heatmaps();
    const std::int64_t b = cfg.train.batch_size;
    targets = Tensor::empty({b, heatmaps.shape[1], heatmaps.shape[2], cfg.model.num_joints}, DType::F32, d);
    weights = Tensor::empty({b, cfg.model.num_joints}, DType::F32, d);
    loss = Tensor::empty({1}, DType::F32, d);
    loss_sum = Tensor::empty({1}, DType::F32, d);
  }

  float lr(std::int64_t epoch) const {
    return static_cast<float>(learning_rate(config.train.lr, config.train.lr_steps, config.train.lr_factor,
                                            static_cast<int>(epoch) + 1));
  }

  void start_weights() {
    const std::string& resume = config.run.resume;
    std::string path;
    if (resume == "auto") {
      if (std::filesystem::exists(latest_checkpoint_path(run_dir))) path = latest_checkpoint_path(run_dir);
    } else if (!resume.empty()) {
      path = resume;
    }
    if (!path.empty()) {
      const LoadedCheckpoint c = read_checkpoint(path, net);
      if (c.progress.global_batch != sampler.global_batch())
        throw UserError(cat("checkpoint '", path, "' was written by a run with a global batch of ",
                            c.progress.global_batch, " but this run has ", sampler.global_batch(), " (",
                            runtime.size(), " rank(s) x train.batch_size ", config.train.batch_size,
                            "): resume with the same global batch, or start afresh"));
      optimizer.restore(c.optimizer);
      progress = c.progress;
      log::info("resumed from '", path, "': epoch ", progress.epoch + 1, ", step ", progress.step, " (",
                progress.global_step, " steps done)");
      return;
    }
    progress.global_batch = sampler.global_batch();
    init_weights(net, static_cast<std::uint64_t>(config.run.seed));
    if (!config.model.pretrained.empty()) {
      if (!std::filesystem::exists(config.model.pretrained))
        throw UserError(cat("model.pretrained: '", config.model.pretrained,
                            "' does not exist; convert torchvision's weights with "
                            "preprocess/weights/convert_torchvision.py, or set model.pretrained empty "
                            "to start from random weights"));
      std::size_t n = 0;
      try {
        n = load_weights(net, read_weight_file(config.model.pretrained), LoadMode::Backbone);
      } catch (const UserError& e) {
        throw UserError(cat("model.pretrained '", config.model.pretrained, "': ", e.what()));
      }
      log::info("backbone: ", n, " tensors from '", config.model.pretrained, "'");
    } else {
      log::info("backbone: random initialisation (model.pretrained is empty)");
    }
  }

  // Collective: whether any rank received a stop signal. Bounded by run.comm_timeout like the
  // gradient sums: a frozen rank is met here as often as there.
  bool any_stop_signal() {
    int any = stop_requested() ? 1 : 0;
    bounded_allreduce(runtime, &any, 1, MPI_INT, MPI_MAX, std::chrono::seconds(config.run.comm_timeout),
                      "the stop-signal check between steps");
    return any != 0;
  }

  // Rank 0 writes (the ranks hold the same weights and Adam state); the others wait for it.
  void save(const std::string& path) {
    if (runtime.is_root()) write_checkpoint(path, net, optimizer.save(), progress, effective_config_ini(config));
    POSE_MPI_CHECK(MPI_Barrier(runtime.world()));
  }

  void upload(const Batch& batch) {
    net.load_input(batch.images);
    transfer(ctx, targets, batch.targets);
    if (config.train.use_target_weight)
      transfer(ctx, weights, batch.weights);
    else
      ops::fill(ctx, weights, 1.0f);
    batch_uploaded.record(ctx);
  }

  void step(const Batch& batch, float lr) {
    upload(batch);
    net.forward(/*training=*/true);
    ops::mse_loss_forward(ctx, loss, net.heatmaps(), targets, weights);
    ops::add(ctx, loss_sum, loss_sum, loss);
    ops::mse_loss_backward(ctx, net.heatmaps_grad(), net.heatmaps(), targets, weights, optimizer.loss_scale());
    reducer.start(net.params().all_grad());
    net.backward([this](std::size_t offset) { reducer.ready_from(offset); });
    reducer.finish();
    optimizer.step(lr);
  }

  double batch_accuracy(const Batch& batch) {
    const std::vector<float> pred = to_host_floats(ctx, net.heatmaps());
    const TensorView t = batch.targets;
    const HeatmapBatch p{pred.data(), static_cast<int>(t.shape[0]), static_cast<int>(t.shape[1]),
                         static_cast<int>(t.shape[2]), static_cast<int>(net.heatmaps().shape[3])};
    const HeatmapBatch g{batch.targets.data<float>(), static_cast<int>(t.shape[0]), static_cast<int>(t.shape[1]),
                         static_cast<int>(t.shape[2]), static_cast<int>(t.shape[3])};
    return pck_accuracy(p, g, config.model.num_joints).average;
  }

  // Returns false when a stop signal ended the epoch early.
  bool train_epoch(std::int64_t epoch, Clock::time_point run_start, std::int64_t steps_at_start) {
    const std::int64_t steps = sampler.steps_per_epoch();
    const std::vector<std::size_t> order = sampler.epoch_order(epoch);
    std::vector<std::vector<std::size_t>> batches;
    for (std::int64_t k = progress.step; k < steps; ++k) batches.push_back(sampler.batch(order, k));
    loader.start(epoch, std::move(batches), progress.step);
    const float rate = lr(epoch);

    ops::fill(ctx, loss_sum, 0.0f);
    Clock::time_point interval_start = Clock::now();
    double wait_at_interval = loader.wait_seconds();
    long steps_in_interval = 0;
    while (const Batch* batch = loader.next()) {
      step(*batch, rate);
      ++progress.step;
      ++progress.global_step;
      ++steps_in_interval;
      const bool last = progress.step == steps;
      if (progress.step % config.run.log_interval == 0 || last) {
        write_log_line(*batch, epoch, rate, steps_in_interval, interval_start, wait_at_interval, run_start,
                       steps_at_start);
        ops::fill(ctx, loss_sum, 0.0f);
        interval_start = Clock::now();
        wait_at_interval = loader.wait_seconds();
        steps_in_interval = 0;
      }
      batch_uploaded.wait();
      if (!last && any_stop_signal()) return false;
    }
    return true;
  }

  void write_log_line(const Batch& batch, std::int64_t epoch, float rate, long steps_in_interval,
                      Clock::time_point interval_start, double wait_at_interval, Clock::time_point run_start,
                      std::int64_t steps_at_start) {
    double sums[2] = {to_host_floats(ctx, loss_sum)[0] / static_cast<double>(steps_in_interval), batch_accuracy(batch)};
    bounded_allreduce(runtime, sums, 2, MPI_DOUBLE, MPI_SUM, std::chrono::seconds(config.run.comm_timeout),
                      "the sum of the log line's loss and accuracy");
    const double seconds = seconds_since(interval_start);
    const std::int64_t steps = sampler.steps_per_epoch();
    const std::int64_t total_steps = steps * config.train.epochs;
    const double done = static_cast<double>(progress.global_step - steps_at_start);
    TrainLogLine line;
    line.epoch = static_cast<int>(epoch) + 1;
    line.epochs = config.train.epochs;
    line.step = static_cast<long>(progress.step);
    line.steps = static_cast<long>(steps);
    line.global_step = static_cast<long>(progress.global_step);
    line.loss = sums[0] / runtime.size();
    line.accuracy = sums[1] / runtime.size();
    line.lr = rate;
    line.loss_scale = optimizer.step_state()[kLossScale];
    line.samples_per_second = steps_in_interval * static_cast<double>(sampler.global_batch()) / seconds;
    line.data_wait_share = (loader.wait_seconds() - wait_at_interval) / seconds;
    line.eta_seconds = seconds_since(run_start) / std::max(done, 1.0) *
                       static_cast<double>(total_steps - progress.global_step);
    log.write(line);
  }

  // `run_start`: when this process started training; the log gives the wall time since then
  // (training and earlier validations) so that AP can be plotted against it.
  void validate(std::int64_t epoch, Clock::time_point run_start) {
    if (!evaluator) return;
    const double wall_seconds = seconds_since(run_start);
    const EvalSummary summary = evaluator->evaluate(net, run_dir + "/results");
    if (!summary.scored) return;
    const double ap = summary.stats[0];
    nlohmann::json fields = {{"epoch", epoch + 1}, {"seconds", summary.seconds}, {"protocol", summary.protocol},
                            {"wall_seconds", wall_seconds}};
    for (std::size_t i = 0; i < kCocoStatNames.size(); ++i) fields[kCocoStatNames[i]] = summary.stats[i];
    log.write_event("validation", fields.dump());
    if (ap > progress.best_ap) {
      progress.best_ap = ap;
      progress.best_epoch = epoch + 1;
      save(best_checkpoint_path(run_dir));
      log::info("best AP so far: ", ap, " (epoch ", epoch + 1, "), saved ", best_checkpoint_path(run_dir));
    }
  }
};

Trainer::Trainer(Runtime& runtime, const DeviceContext& ctx, const Config& config) {
  const std::string run_dir = config.run.output_dir + "/" + config.run.name;
  std::string problem;
  if (runtime.is_root()) {
    std::error_code error;
    std::filesystem::create_directories(run_dir, error);
    if (error) problem = cat("cannot create the run folder '", run_dir, "': ", error.message());
    try {
      if (problem.empty()) {
        lock_ = std::make_unique<RunFolderLock>(run_dir);
        const std::vector<std::string> removed = check_run_start(run_dir, config.run);
        // Rank 0's console output, from the program's first line, also goes to the run folder.
        log::copy_to_file(run_dir + "/console.log");
        for (const std::string& name : removed)
          log::info("run.overwrite: removed '", name, "' of the earlier run in '", run_dir, "'");
      }
    } catch (const UserError& e) {
      problem = e.what();
    }
  }
  runtime.stop_if_any_failed(problem);
  std::string local_error;
  try {
    s_ = std::make_unique<State>(runtime, ctx, config, run_dir);
    s_->start_weights();
  } catch (const UserError& e) {
    local_error = e.what();
  } catch (const OutOfMemory& e) {
    local_error = too_big_message(config, e.what());
  } catch (const std::bad_alloc&) {
    local_error = too_big_message(config, "out of host memory");
  }
  runtime.stop_if_any_failed(local_error);
  if (runtime.is_root()) write_text_file(run_dir + "/config.ini", effective_config_ini(config));
}

Trainer::~Trainer() = default;

int Trainer::run() {
  State& s = *s_;
  const Config& c = s.config;
  if (c.data.target_center == "rounded" && rounded_target_offset(static_cast<float>(c.data.sigma)) != 0)
    log::warn("data.sigma ", c.data.sigma, " with data.target_center rounded: the reference's target window puts ",
              "each Gaussian's peak one heatmap pixel left of and above its joint (3 sigma = ", 3 * c.data.sigma,
              " has a fraction below 0.5); set data.target_center exact, or a sigma such as 1, 1.5 or 2");
  log::info("model: ", s.net.spec().str(), ", ", s.net.params().numel(), " parameters, ",
            s.net.activation_bytes() >> 20, " MiB of activations at batch ", c.train.batch_size);
  log::info("data: ", s.shards.size(), " training records, ", s.sampler.steps_per_epoch(), " steps per epoch of ",
            s.sampler.global_batch(), " samples (", s.runtime.size(), " rank(s) x ", c.train.batch_size,
            "); gradients: ", s.reducer.method(), "; precision ", c.train.precision);
  if (!s.evaluator) log::info("validation: none (data.val_shards is empty)");
  const Clock::time_point run_start = Clock::now();
  const std::int64_t steps_at_start = s.progress.global_step;
  while (s.progress.epoch < c.train.epochs) {
    const std::int64_t epoch = s.progress.epoch;
    if (!s.train_epoch(epoch, run_start, steps_at_start)) {
      s.save(latest_checkpoint_path(s.run_dir));
      log::info("stop signal ", stop_signal(), ": checkpoint written at epoch ", epoch + 1, " step ", s.progress.step,
                "; exiting with status ", kExitCheckpointedOnSignal, " (resume with --run.resume auto)");
      return kExitCheckpointedOnSignal;
    }
    s.progress.epoch = epoch + 1;
    s.progress.step = 0;
    const bool last = s.progress.epoch == c.train.epochs;
    if ((epoch + 1) % c.run.val_interval == 0 || last) s.validate(epoch, run_start);
    if ((epoch + 1) % c.run.checkpoint_interval == 0 || last) s.save(latest_checkpoint_path(s.run_dir));
    if (s.loader.bad_records() > 0) log::warn(s.loader.bad_records(), " unusable training record(s) skipped so far");
    if (!last && s.any_stop_signal()) {
      if ((epoch + 1) % c.run.checkpoint_interval != 0) s.save(latest_checkpoint_path(s.run_dir));
      log::info("stop signal ", stop_signal(), " after epoch ", epoch + 1, "; exiting with status ",
                kExitCheckpointedOnSignal);
      return kExitCheckpointedOnSignal;
    }
  }
  log::info("training done: ", c.train.epochs, " epochs, ", s.progress.global_step, " steps in ",
            format_duration(seconds_since(run_start)),
            s.progress.best_epoch > 0 ? cat("; best AP ", s.progress.best_ap, " (epoch ", s.progress.best_epoch, ")")
                                      : std::string("; not validated"));
  return 0;
}

}  // namespace pose
