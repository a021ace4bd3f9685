// Data parallelism over 2 ranks with host-staged MPI sums, on the CPU backend, or (built as
// test_data_parallel_gpu, POSE_TEST_ON_GPU) with both ranks sharing one GPU:
// - 2 ranks x batch 2 reach exactly the weights of 1 rank that runs the same 4 samples as
//   two micro-batches of 2 and sums their gradients. BN normalises per rank in both (as the
//   reference's DataParallel does per GPU chunk), which is why the 1-rank side uses
//   micro-batches rather than one batch of 4; a sum of two floats is exact in either order,
//   so the weights must agree bit for bit.
// - an inf in one rank's gradients makes every rank skip the step and halve the loss scale.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <random>

#include "../common/network_helpers.h"
#include "../common/mpi_test.h"
#include "../common/test_device.h"
#include "config/config.h"
#include "kernels/host_transfer.h"
#include "kernels/ops.h"
#include "model/weights.h"
#include "train/grad_reducer.h"
#include "train/optimizer.h"

namespace pose {
namespace {

using test::tiny_spec;

constexpr int kBatch = 2;  // per rank

// Gradients on the CPU are summed in the same order as MPI's, so the weights agree bit for
// bit; on the GPU the same holds with cuDNN's deterministic algorithms, but a heuristic may
// pick another, so there the bar is 1e-5 relative.
#if POSE_TEST_ON_GPU
constexpr double kTolerance = 1e-5;
#else
constexpr double kTolerance = 0.0;
#endif

// Deterministic input, target and weights of global sample `index` at `step`.
struct Sample {
  std::vector<float> image, target, weight;
};

Sample sample(const PoseResNet& net, int step, int index) {
  std::mt19937 rng(static_cast<unsigned>(1000 * step + index));
  std::normal_distribution<float> normal;
  std::uniform_real_distribution<float> uniform;
  Sample s;
  const TensorView in = net.input(), hm = net.heatmaps();
  s.image.resize(static_cast<std::size_t>(in.numel() / in.shape[0]));
  for (float& v : s.image) v = normal(rng);
  s.target.resize(static_cast<std::size_t>(hm.numel() / hm.shape[0]));
  for (float& v : s.target) v = uniform(rng) * 0.1f;
  for (int j = 0; j < 17; ++j) s.weight.push_back(uniform(rng) < 0.8f ? 1.0f : 0.0f);
  return s;
}

// Forward and backward of global samples [first, first + kBatch) of `step`; gradients in
// net.params().all_grad().
void forward_backward(const PoseResNet& net, int step, int first) {
  const DeviceContext& ctx = net.context();
  const Device d = ctx.device();
  Tensor target = Tensor::empty(net.heatmaps().shape, DType::F32, d);
  Tensor weight = Tensor::empty({kBatch, 17}, DType::F32, d);
  std::vector<float> images, targets, weights;
  for (int i = 0; i < kBatch; ++i) {
    const Sample s = sample(net, step, first + i);
    images.insert(images.end(), s.image.begin(), s.image.end());
    targets.insert(targets.end(), s.target.begin(), s.target.end());
    weights.insert(weights.end(), s.weight.begin(), s.weight.end());
  }
  from_host_floats(ctx, net.input(), images);
  from_host_floats(ctx, target, targets);
  from_host_floats(ctx, weight, weights);
  net.forward(true);
  Tensor loss = Tensor::empty({1}, DType::F32, d), scale = Tensor::empty({1}, DType::F32, d);
  // The f16 gradients of the GPU run need a loss scale; the optimiser divides it out.
  from_host_floats(ctx, scale, {1024.0f});
  ops::mse_loss_forward(ctx, loss, net.heatmaps(), target, weight);
  ops::mse_loss_backward(ctx, net.heatmaps_grad(), net.heatmaps(), target, weight, scale);
  net.backward();
}

std::vector<float> weights_of(const PoseResNet& net) {
  return to_host_floats(net.context(), net.params().all_master());
}

TrainSection train_settings(const std::string& precision) {
  TrainSection t = default_config().train;
  t.precision = precision;
  t.loss_scale_init = 1024;  // as forward_backward scales the loss
  return t;
}

TEST(DataParallel, TwoRanksMatchOneRankWithTheSameGlobalBatch) {
  Runtime& runtime = test::mpi_runtime();
  ASSERT_EQ(runtime.size(), 2);
  const std::optional<DeviceContext> ctx = test::device_under_test();
  if (!ctx) GTEST_SKIP() << "no CUDA device visible: run on the GPU host";
  PoseResNet ranked(tiny_spec(), *ctx, kBatch), single(tiny_spec(), *ctx, kBatch);
  init_weights(ranked, 11);
  init_weights(single, 11);
  // Loss scale 1024 and a fixed scale for the 3 steps, as forward_backward scales the loss.
  Optimizer ranked_opt(ranked, train_settings("fp16"), runtime.size());
  Optimizer single_opt(single, train_settings("fp16"), 2);  // sums of two micro-batches
  GradientReducer reducer(runtime, *ctx, "mpi", ranked.params().numel());

  for (int step = 0; step < 3; ++step) {
    forward_backward(ranked, step, kBatch * runtime.rank());
    reducer.all_reduce_sum(ranked.params().all_grad());
    ranked_opt.step(1e-3f);

    forward_backward(single, step, 0);
    const std::vector<float> first = to_host_floats(*ctx, single.params().all_grad());
    forward_backward(single, step, kBatch);
    std::vector<float> sum = to_host_floats(*ctx, single.params().all_grad());
    for (std::size_t i = 0; i < first.size(); ++i) sum[i] = first[i] + sum[i];
    from_host_floats(*ctx, single.params().all_grad(), sum);
    single_opt.step(1e-3f);
  }
  const std::vector<float> a = weights_of(ranked), b = weights_of(single);
  EXPECT_LE(test::relative_error(a, b), kTolerance) << "rank " << runtime.rank();
  // The ranks hold the same weights.
  std::vector<float> other(a.size());
  const int peer = 1 - runtime.rank();
  MPI_Sendrecv(a.data(), static_cast<int>(a.size()), MPI_FLOAT, peer, 0, other.data(), static_cast<int>(other.size()),
               MPI_FLOAT, peer, 0, runtime.world(), MPI_STATUS_IGNORE);
  EXPECT_EQ(other, a);
}

TEST(DataParallel, AnInfOnOneRankSkipsTheStepOnEveryRank) {
  Runtime& runtime = test::mpi_runtime();
  const std::optional<DeviceContext> ctx = test::device_under_test();
  if (!ctx) GTEST_SKIP() << "no CUDA device visible: run on the GPU host";
  PoseResNet net(tiny_spec(), *ctx, kBatch);
  init_weights(net, 3);
  Optimizer optimizer(net, train_settings("fp16"), runtime.size());
  GradientReducer reducer(runtime, *ctx, "mpi", net.params().numel());
  const std::vector<float> before = weights_of(net);

  forward_backward(net, 0, kBatch * runtime.rank());
  if (runtime.rank() == 1) {
    std::vector<float> grads = to_host_floats(*ctx, net.params().all_grad());
    grads[5] = INFINITY;
    from_host_floats(*ctx, net.params().all_grad(), grads);
  }
  reducer.all_reduce_sum(net.params().all_grad());
  optimizer.step(1e-3f);
  const std::array<float, 4> state = optimizer.step_state();
  EXPECT_EQ(state[kLossScale], 512.0f) << "rank " << runtime.rank();
  EXPECT_EQ(state[kAdamStep], 0.0f);
  EXPECT_EQ(weights_of(net), before);

  // The next clean step is taken everywhere.
  forward_backward(net, 1, kBatch * runtime.rank());
  reducer.all_reduce_sum(net.params().all_grad());
  optimizer.step(1e-3f);
  EXPECT_EQ(optimizer.step_state()[kAdamStep], 1.0f);
  EXPECT_NE(weights_of(net), before);
}

}  // namespace
}  // namespace pose
