// Data parallelism over 2 ranks (CPU backend, host-staged MPI sums):
// - 2 ranks x batch 2 reach exactly the weights of 1 rank that runs the same 4 samples as
//   two micro-batches of 2 and sums their gradients. BN normalises per rank in both (as the
//   reference's DataParallel does per GPU chunk), which is why the 1-rank side uses
//   micro-batches rather than one batch of 4; a sum of two floats is exact in either order,
//   so the weights must agree bit for bit.
// - an inf in one rank's gradients makes every rank skip the step and halve the loss scale.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "../common/network_helpers.h"
#include "../common/mpi_test.h"
#include "config/config.h"
#include "kernels/ops.h"
#include "model/weights.h"
#include "train/grad_reducer.h"
#include "train/optimizer.h"

namespace pose {
namespace {

using test::tiny_spec;

constexpr int kBatch = 2;  // per rank

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
  Tensor target = Tensor::empty(net.heatmaps().shape, DType::F32, Device::CPU);
  Tensor weight = Tensor::empty({kBatch, 17}, DType::F32, Device::CPU);
  for (int i = 0; i < kBatch; ++i) {
    const Sample s = sample(net, step, first + i);
    std::copy(s.image.begin(), s.image.end(), net.input().as<float>() + i * s.image.size());
    std::copy(s.target.begin(), s.target.end(), target.data<float>() + i * s.target.size());
    std::copy(s.weight.begin(), s.weight.end(), weight.data<float>() + i * 17);
  }
  net.forward(true);
  Tensor loss = Tensor::empty({1}, DType::F32, Device::CPU), scale = Tensor::empty({1}, DType::F32, Device::CPU);
  scale.data<float>()[0] = 1.0f;
  ops::mse_loss_forward(ctx, loss, net.heatmaps(), target, weight);
  ops::mse_loss_backward(ctx, net.heatmaps_grad(), net.heatmaps(), target, weight, scale);
  net.backward();
}

TrainSection train_settings(const std::string& precision) {
  TrainSection t = default_config().train;
  t.precision = precision;
  t.loss_scale_init = 1024;
  return t;
}

TEST(DataParallel, TwoRanksMatchOneRankWithTheSameGlobalBatch) {
  Runtime& runtime = test::mpi_runtime();
  ASSERT_EQ(runtime.size(), 2);
  const DeviceContext ctx = DeviceContext::cpu();
  PoseResNet ranked(tiny_spec(), ctx, kBatch), single(tiny_spec(), ctx, kBatch);
  init_weights(ranked, 11);
  init_weights(single, 11);
  Optimizer ranked_opt(ranked, train_settings("fp32"), runtime.size());
  Optimizer single_opt(single, train_settings("fp32"), 2);  // sums of two micro-batches
  GradientReducer reducer(runtime, ctx, "mpi", ranked.params().numel());

  for (int step = 0; step < 3; ++step) {
    forward_backward(ranked, step, kBatch * runtime.rank());
    reducer.all_reduce_sum(ranked.params().all_grad());
    ranked_opt.step(1e-3f);

    const float* g = single.params().all_grad().as<float>();
    forward_backward(single, step, 0);
    std::vector<float> first(g, g + single.params().numel());
    forward_backward(single, step, kBatch);
    float* sum = single.params().all_grad().as<float>();
    for (std::size_t i = 0; i < first.size(); ++i) sum[i] = first[i] + sum[i];
    single_opt.step(1e-3f);
  }
  const float* a = ranked.params().all_master().as<float>();
  const float* b = single.params().all_master().as<float>();
  std::size_t differing = 0;
  for (std::size_t i = 0; i < ranked.params().numel(); ++i) differing += a[i] != b[i];
  EXPECT_EQ(differing, 0u) << "rank " << runtime.rank();
  // The ranks hold the same weights.
  std::vector<float> other(ranked.params().numel());
  const int peer = 1 - runtime.rank();
  MPI_Sendrecv(a, static_cast<int>(other.size()), MPI_FLOAT, peer, 0, other.data(), static_cast<int>(other.size()),
               MPI_FLOAT, peer, 0, runtime.world(), MPI_STATUS_IGNORE);
  EXPECT_TRUE(std::equal(other.begin(), other.end(), a));
}

TEST(DataParallel, AnInfOnOneRankSkipsTheStepOnEveryRank) {
  Runtime& runtime = test::mpi_runtime();
  const DeviceContext ctx = DeviceContext::cpu();
  PoseResNet net(tiny_spec(), ctx, kBatch);
  init_weights(net, 3);
  Optimizer optimizer(net, train_settings("fp16"), runtime.size());
  GradientReducer reducer(runtime, ctx, "mpi", net.params().numel());
  const std::vector<float> before(net.params().all_master().as<float>(),
                                  net.params().all_master().as<float>() + net.params().numel());

  forward_backward(net, 0, kBatch * runtime.rank());
  if (runtime.rank() == 1) net.params().all_grad().as<float>()[5] = INFINITY;
  reducer.all_reduce_sum(net.params().all_grad());
  optimizer.step(1e-3f);
  const std::array<float, 4> state = optimizer.step_state();
  EXPECT_EQ(state[kLossScale], 512.0f) << "rank " << runtime.rank();
  EXPECT_EQ(state[kAdamStep], 0.0f);
  EXPECT_TRUE(std::equal(before.begin(), before.end(), net.params().all_master().as<float>()));

  // The next clean step is taken everywhere.
  forward_backward(net, 1, kBatch * runtime.rank());
  reducer.all_reduce_sum(net.params().all_grad());
  optimizer.step(1e-3f);
  EXPECT_EQ(optimizer.step_state()[kAdamStep], 1.0f);
  EXPECT_FALSE(std::equal(before.begin(), before.end(), net.params().all_master().as<float>()));
}

}  // namespace
}  // namespace pose
