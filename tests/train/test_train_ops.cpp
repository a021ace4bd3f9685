// The optimiser's ops and the learning-rate schedule on the CPU: Adam against the formula
// worked in double, skipped steps on inf/NaN, and the loss-scale bookkeeping.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "kernels/train_op_signatures.h"
#include "train/lr_schedule.h"

namespace pose {
namespace {

Tensor values(std::initializer_list<float> v) {
  Tensor t = Tensor::empty({static_cast<std::int64_t>(v.size())}, DType::F32, Device::CPU);
  std::copy(v.begin(), v.end(), t.data<float>());
  return t;
}

TEST(Adam, ThreeStepsFollowTheFormula) {
  const DeviceContext ctx = DeviceContext::cpu();
  Tensor w = values({1.0f, -2.0f, 0.5f}), m = values({0, 0, 0}), v = values({0, 0, 0});
  Tensor state = values({8.0f, 0, 0, 0});  // loss scale 8
  AdamSettings s;
  s.lr = 0.01f;
  s.weight_decay = 0.1f;
  s.grad_divisor = 2.0f;  // two ranks summed their gradients
  double ew[3] = {1.0, -2.0, 0.5}, em[3] = {}, ev[3] = {};
  const float grads[3][3] = {{16, -8, 4}, {8, 8, -16}, {0, 32, 2}};
  for (int t = 1; t <= 3; ++t) {
    Tensor g = values({grads[t - 1][0], grads[t - 1][1], grads[t - 1][2]});
    ops::adam_update(ctx, w, m, v, g, state, s);
    ops::update_step_state(ctx, state, 0);
    for (int i = 0; i < 3; ++i) {
      const double gi = grads[t - 1][i] / (8.0 * 2.0) + 0.1 * ew[i];
      em[i] = 0.9 * em[i] + 0.1 * gi;
      ev[i] = 0.999 * ev[i] + 0.001 * gi * gi;
      ew[i] -= 0.01 * (em[i] / (1 - std::pow(0.9, t))) / (std::sqrt(ev[i] / (1 - std::pow(0.999, t))) + 1e-8);
    }
  }
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(w.data<float>()[i], ew[i], 2e-6) << i;  // f32 vs double
  EXPECT_EQ(state.data<float>()[kAdamStep], 3.0f);
  EXPECT_EQ(state.data<float>()[kLossScale], 8.0f);  // growth interval 0: fixed scale
}

TEST(Adam, ANonfiniteGradientSkipsTheStepAndHalvesTheScale) {
  const DeviceContext ctx = DeviceContext::cpu();
  Tensor w = values({1, 2}), m = values({0.5f, 0.5f}), v = values({1, 1});
  Tensor state = values({1024, 0, 7, 3});
  Tensor g = values({1, std::numeric_limits<float>::infinity()});
  ops::find_nonfinite(ctx, state, g);
  EXPECT_EQ(state.data<float>()[kFoundNonfinite], 1.0f);
  ops::adam_update(ctx, w, m, v, g, state, AdamSettings{});
  ops::update_step_state(ctx, state, 1000);
  EXPECT_EQ(w.data<float>()[0], 1.0f);  // untouched
  EXPECT_EQ(m.data<float>()[0], 0.5f);
  EXPECT_EQ(state.data<float>()[kLossScale], 512.0f);
  EXPECT_EQ(state.data<float>()[kAdamStep], 7.0f);
  EXPECT_EQ(state.data<float>()[kCleanSteps], 0.0f);
  EXPECT_EQ(state.data<float>()[kFoundNonfinite], 0.0f);  // cleared for the next step
  Tensor nan = values({std::nanf("")});
  ops::find_nonfinite(ctx, state, nan);
  EXPECT_EQ(state.data<float>()[kFoundNonfinite], 1.0f);
}

TEST(Adam, TheScaleDoublesAfterTheGrowthInterval) {
  const DeviceContext ctx = DeviceContext::cpu();
  Tensor state = values({256, 0, 0, 0});
  for (int i = 0; i < 3; ++i) ops::update_step_state(ctx, state, 3);
  EXPECT_EQ(state.data<float>()[kLossScale], 512.0f);
  EXPECT_EQ(state.data<float>()[kCleanSteps], 0.0f);
  EXPECT_EQ(state.data<float>()[kAdamStep], 3.0f);
}

TEST(LearningRate, DropsAtTheStepsCountedFromEpochOne) {
  // With steps 90,120 the reference trains 1-based epochs 1-89 at lr, 90-119 at lr/10,
  // 120-140 at lr/100 (its scheduler steps at the start of each epoch).
  EXPECT_DOUBLE_EQ(learning_rate(1e-3, {90, 120}, 0.1, 1), 1e-3);
  EXPECT_DOUBLE_EQ(learning_rate(1e-3, {90, 120}, 0.1, 89), 1e-3);
  EXPECT_NEAR(learning_rate(1e-3, {90, 120}, 0.1, 90), 1e-4, 1e-18);
  EXPECT_NEAR(learning_rate(1e-3, {90, 120}, 0.1, 120), 1e-5, 1e-18);
  EXPECT_NEAR(learning_rate(1e-3, {90, 120}, 0.1, 140), 1e-5, 1e-18);
  EXPECT_DOUBLE_EQ(learning_rate(1e-3, {}, 0.1, 140), 1e-3);
}

}  // namespace
}  // namespace pose
