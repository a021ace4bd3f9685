// The whole PoseResNet on the GPU (f16 activations and weights, f32 accumulation, f32 BN
// statistics) against the CPU reference (f32) with the same weights and input: one training
// step's heatmaps, loss, every parameter gradient and the BN running statistics. Skips without
// a GPU. Runs once per CUDA kernel set (simple, vectorized, fused: kernels/gpu_kernels.h).
//
// Tolerance: 1e-2 norm-wise relative error (||gpu - cpu|| / ||cpu||) per tensor. Each f16
// activation store costs up to 2^-11 relative and a ResNet-18 forward and backward chains
// about 60 of them, partly averaging out; 1e-2 leaves room for that while a wrong index,
// stride or formula gives errors of order 1. The loss gradient is scaled by 1024 on both sides
// (as dynamic loss scaling would) so f16 gradients do not underflow.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "../common/network_helpers.h"
#include "core/half.h"
#include "kernels/gpu_kernels.h"
#include "kernels/host_transfer.h"
#include "kernels/ops.h"
#include "model/weights.h"

namespace pose {
namespace {

using test::relative_error;

constexpr double kTolerance = 1e-2;
constexpr int kBatch = 4;

PoseResNetSpec spec() {
  PoseResNetSpec s;
  s.depth = 18;
  s.base_width = 16;
  s.input_height = 128;
  s.input_width = 96;
  s.deconv_filters = {32, 32, 32};
  return s;
}

bool all_finite(const std::vector<float>& v) {
  return std::all_of(v.begin(), v.end(), [](float x) { return std::isfinite(x); });
}

class NetworkParity : public ::testing::TestWithParam<GpuKernels> {
 protected:
  void SetUp() override {
    if (cuda_device_count() == 0) GTEST_SKIP() << "no CUDA device visible: run on the GPU host";
    set_gpu_kernels(GetParam());
  }
  void TearDown() override { set_gpu_kernels(GpuKernels::Simple); }
};

TEST_P(NetworkParity, TrainingStepOnTheGpuMatchesTheCpu) {
  const DeviceContext cpu = DeviceContext::cpu();
  const DeviceContext gpu = DeviceContext::cuda(0);
  PoseResNet on_cpu(spec(), cpu, kBatch), on_gpu(spec(), gpu, kBatch);
  init_weights(on_cpu, 21);
  // Larger head weights than the reference's 0.001 so the heatmaps carry signal to compare.
  WeightFile weights = export_weights(on_cpu, "test");
  std::mt19937 rng(5);
  std::normal_distribution<float> normal(0.0f, 0.05f);
  for (NamedTensor& t : weights.params)
    if (t.name.rfind("deconv", 0) == 0 && t.shape.size() == 4)
      for (float& v : t.values) v = normal(rng);
  load_weights(on_cpu, weights, LoadMode::Whole);
  load_weights(on_gpu, weights, LoadMode::Whole);

  // The input as f16 values on both sides, so only the arithmetic differs.
  std::vector<float> input(static_cast<std::size_t>(on_cpu.input().numel()));
  std::normal_distribution<float> unit;
  for (float& v : input) v = half_bits_to_float(float_to_half_bits(unit(rng)));
  std::vector<float> target(static_cast<std::size_t>(on_cpu.heatmaps().numel())), weight(kBatch * 17);
  std::uniform_real_distribution<float> u;
  for (float& v : target) v = u(rng) < 0.05f ? u(rng) : 0.0f;
  for (float& v : weight) v = u(rng) < 0.8f ? 1.0f : 0.0f;

  struct Side {
    const DeviceContext& ctx;
    PoseResNet& net;
    Tensor target, weight, loss, scale;
  };
  Side sides[2] = {{cpu, on_cpu, {}, {}, {}, {}}, {gpu, on_gpu, {}, {}, {}, {}}};
  for (Side& s : sides) {
    const Device d = s.ctx.device();
    s.target = Tensor::empty(s.net.heatmaps().shape, DType::F32, d);
    s.weight = Tensor::empty({kBatch, 17}, DType::F32, d);
    s.loss = Tensor::empty({1}, DType::F32, d);
    s.scale = Tensor::empty({1}, DType::F32, d);
    from_host_floats(s.ctx, s.net.input(), input);
    from_host_floats(s.ctx, s.target, target);
    from_host_floats(s.ctx, s.weight, weight);
    from_host_floats(s.ctx, s.scale, {1024.0f});
    s.net.forward(true);
    ops::mse_loss_forward(s.ctx, s.loss, s.net.heatmaps(), s.target, s.weight);
    ops::mse_loss_backward(s.ctx, s.net.heatmaps_grad(), s.net.heatmaps(), s.target, s.weight, s.scale);
    s.net.backward();
  }

  const std::vector<float> hm_gpu = to_host_floats(gpu, on_gpu.heatmaps());
  EXPECT_TRUE(all_finite(hm_gpu));
  EXPECT_LT(relative_error(hm_gpu, to_host_floats(cpu, on_cpu.heatmaps())), kTolerance) << "heatmaps";
  EXPECT_LT(relative_error(to_host_floats(gpu, sides[1].loss), to_host_floats(cpu, sides[0].loss)), kTolerance) << "loss";
  for (std::size_t id = 0; id < on_cpu.params().infos().size(); ++id) {
    const std::string& name = on_cpu.params().info(id).name;
    const std::vector<float> g = to_host_floats(gpu, on_gpu.params().grad(id));
    EXPECT_TRUE(all_finite(g)) << name;
    EXPECT_LT(relative_error(g, to_host_floats(cpu, on_cpu.params().grad(id))), kTolerance) << "gradient of " << name;
  }
  for (std::size_t id = 0; id < on_cpu.stats().infos().size(); ++id)
    EXPECT_LT(relative_error(to_host_floats(gpu, on_gpu.stats().master(id)), to_host_floats(cpu, on_cpu.stats().master(id))),
              kTolerance)
        << on_cpu.stats().info(id).name;
}

TEST_P(NetworkParity, ResNet50StepRunsAtBatch64) {
  const DeviceContext gpu = DeviceContext::cuda(0);
  PoseResNet net(PoseResNetSpec{}, gpu, 64);
  init_weights(net, 1);
  ops::fill(gpu, net.input(), 0.5f);
  net.forward(true);
  ops::fill(gpu, net.heatmaps_grad(), 1e-3f);
  net.backward();
  EXPECT_TRUE(all_finite(to_host_floats(gpu, net.heatmaps())));
  EXPECT_TRUE(all_finite(to_host_floats(gpu, net.params().all_grad())));
}

INSTANTIATE_TEST_SUITE_P(KernelSets, NetworkParity,
                         ::testing::Values(GpuKernels::Simple, GpuKernels::Vectorized, GpuKernels::Fused),
                         [](const auto& p) { return std::string(to_string(p.param)); });

}  // namespace
}  // namespace pose
