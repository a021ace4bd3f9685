// The fused kernel set on the CPU backend: the network then calls the fused ops (BN + ReLU,
// add + ReLU), whose CPU twins must compute exactly what the unfused sequence does. One
// training step of a small PoseResNet under each set gives bit-identical heatmaps, gradients
// and BN statistics; this also checks that the network hands the fused ops the right tensors.
#include <gtest/gtest.h>

#include <random>

#include "../common/network_helpers.h"
#include "kernels/gpu_kernels.h"
#include "kernels/host_transfer.h"
#include "kernels/ops.h"
#include "model/weights.h"

namespace pose {
namespace {

struct StepResult {
  std::vector<float> heatmaps, grads, stats;
};

StepResult train_step(GpuKernels kernels) {
  set_gpu_kernels(kernels);
  const DeviceContext cpu = DeviceContext::cpu();
  constexpr int kBatch = 2;
  PoseResNet net(test::tiny_spec(), cpu, kBatch);
  init_weights(net, 3);
  std::mt19937 rng(11);
  std::normal_distribution<float> normal;
  std::vector<float> input(static_cast<std::size_t>(net.input().numel()));
  for (float& v : input) v = normal(rng);
  std::vector<float> target(static_cast<std::size_t>(net.heatmaps().numel()));
  for (float& v : target) v = normal(rng) * 0.1f;
  from_host_floats(cpu, net.input(), input);
  Tensor t = Tensor::empty(net.heatmaps().shape, DType::F32, Device::CPU);
  Tensor w = Tensor::empty({kBatch, 17}, DType::F32, Device::CPU);
  Tensor loss = Tensor::empty({1}, DType::F32, Device::CPU);
  Tensor scale = Tensor::empty({1}, DType::F32, Device::CPU);
  from_host_floats(cpu, t, target);
  ops::fill(cpu, w, 1.0f);
  ops::fill(cpu, scale, 1.0f);
  net.forward(true);
  ops::mse_loss_forward(cpu, loss, net.heatmaps(), t, w);
  ops::mse_loss_backward(cpu, net.heatmaps_grad(), net.heatmaps(), t, w, scale);
  net.backward();
  StepResult r{to_host_floats(cpu, net.heatmaps()), to_host_floats(cpu, net.params().all_grad()),
               to_host_floats(cpu, net.stats().all_master())};
  set_gpu_kernels(GpuKernels::Simple);
  return r;
}

TEST(FusedOpsCpu, NetworkStepEqualsTheUnfusedOneBitForBit) {
  const StepResult plain = train_step(GpuKernels::Simple);
  const StepResult fused = train_step(GpuKernels::Fused);
  EXPECT_EQ(plain.heatmaps, fused.heatmaps);
  EXPECT_EQ(plain.grads, fused.grads);
  EXPECT_EQ(plain.stats, fused.stats);
  // Not vacuous: the step produced gradients.
  EXPECT_GT(std::count_if(plain.grads.begin(), plain.grads.end(), [](float g) { return g != 0.0f; }), 1000);
}

}  // namespace
}  // namespace pose
