// CUDA vs CPU parity of the optimiser ops (kernels/train_op_signatures.h): Adam over a flat
// buffer with the device-side step state, the nonfinite scan and the loss-scale bookkeeping.
// Skips without a GPU. Tolerance: Adam's update is a handful of f32 operations per element on
// both sides (the GPU may fuse multiply-adds), so 1e-6 relative per element is ample while a
// wrong index, bias correction or skipped-step rule fails by far.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "kernels/host_transfer.h"
#include "kernels/train_op_signatures.h"

namespace pose {
namespace {

class TrainOpsParity : public ::testing::Test {
 protected:
  void SetUp() override {
    if (cuda_device_count() == 0) GTEST_SKIP() << "no CUDA device visible: run on the GPU host";
    gpu_ = std::make_unique<DeviceContext>(DeviceContext::cuda(0));
  }

  // The same values on the CPU and on the GPU.
  std::pair<Tensor, Tensor> pair(const std::vector<float>& values) const {
    const Shape shape{static_cast<std::int64_t>(values.size())};
    Tensor cpu = Tensor::empty(shape, DType::F32, Device::CPU), gpu = Tensor::empty(shape, DType::F32, Device::CUDA);
    from_host_floats(cpu_, cpu, values);
    from_host_floats(*gpu_, gpu, values);
    return {std::move(cpu), std::move(gpu)};
  }

  DeviceContext cpu_ = DeviceContext::cpu();
  std::unique_ptr<DeviceContext> gpu_;
};

std::vector<float> random_values(std::size_t n, std::uint32_t seed, float scale) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, scale);
  std::vector<float> v(n);
  for (float& x : v) x = normal(rng);
  return v;
}

// Per element: within 1e-6 relative, or 1e-12 absolute for values near zero.
void expect_close(const std::vector<float>& gpu, const std::vector<float>& cpu, const char* what) {
  ASSERT_EQ(gpu.size(), cpu.size());
  for (std::size_t i = 0; i < cpu.size(); ++i)
    ASSERT_NEAR(gpu[i], cpu[i], std::max(1e-6 * std::fabs(cpu[i]), 1e-12)) << what << " element " << i;
}

TEST_F(TrainOpsParity, AdamStepsMatchTheCpu) {
  const std::size_t n = 1'000'003;  // not a multiple of any block size
  auto [w_cpu, w_gpu] = pair(random_values(n, 1, 0.1f));
  auto [m_cpu, m_gpu] = pair(std::vector<float>(n, 0.0f));
  auto [v_cpu, v_gpu] = pair(std::vector<float>(n, 0.0f));
  auto [s_cpu, s_gpu] = pair({1024.0f, 0.0f, 0.0f, 0.0f});
  AdamSettings settings;
  settings.lr = 1e-3f;
  settings.weight_decay = 1e-4f;
  settings.grad_divisor = 4.0f;
  for (int step = 0; step < 3; ++step) {
    auto [g_cpu, g_gpu] = pair(random_values(n, 10 + step, 50.0f));
    ops::find_nonfinite(cpu_, s_cpu, g_cpu);
    ops::find_nonfinite(*gpu_, s_gpu, g_gpu);
    ops::adam_update(cpu_, w_cpu, m_cpu, v_cpu, g_cpu, s_cpu, settings);
    ops::adam_update(*gpu_, w_gpu, m_gpu, v_gpu, g_gpu, s_gpu, settings);
    ops::update_step_state(cpu_, s_cpu, 2);
    ops::update_step_state(*gpu_, s_gpu, 2);
  }
  expect_close(to_host_floats(*gpu_, w_gpu), to_host_floats(cpu_, w_cpu), "weights");
  expect_close(to_host_floats(*gpu_, m_gpu), to_host_floats(cpu_, m_cpu), "m");
  expect_close(to_host_floats(*gpu_, v_gpu), to_host_floats(cpu_, v_cpu), "v");
  EXPECT_EQ(to_host_floats(*gpu_, s_gpu), to_host_floats(cpu_, s_cpu));  // scale doubled once: 2048
  EXPECT_EQ(to_host_floats(*gpu_, s_gpu)[kLossScale], 2048.0f);
}

TEST_F(TrainOpsParity, ANonfiniteElementAnywhereSkipsTheStep) {
  const std::size_t n = 3'000'001;
  for (const float bad : {std::numeric_limits<float>::infinity(), std::nanf("")}) {
    for (const std::size_t at : {std::size_t{0}, n / 2, n - 1}) {
      std::vector<float> grads(n, 0.5f);
      grads[at] = bad;
      auto [w_cpu, w_gpu] = pair(std::vector<float>(n, 1.0f));
      auto [m_cpu, m_gpu] = pair(std::vector<float>(n, 0.0f));
      auto [v_cpu, v_gpu] = pair(std::vector<float>(n, 0.0f));
      auto [s_cpu, s_gpu] = pair({256.0f, 0.0f, 5.0f, 3.0f});
      auto [g_cpu, g_gpu] = pair(grads);
      ops::find_nonfinite(*gpu_, s_gpu, g_gpu);
      ops::adam_update(*gpu_, w_gpu, m_gpu, v_gpu, g_gpu, s_gpu, AdamSettings{});
      ops::update_step_state(*gpu_, s_gpu, 1000);
      EXPECT_EQ(to_host_floats(*gpu_, s_gpu), (std::vector<float>{128.0f, 0.0f, 5.0f, 0.0f})) << at;
      const std::vector<float> w = to_host_floats(*gpu_, w_gpu);
      EXPECT_EQ(std::count(w.begin(), w.end(), 1.0f), static_cast<std::ptrdiff_t>(n)) << "weights moved; bad at " << at;
    }
  }
}

}  // namespace
}  // namespace pose
