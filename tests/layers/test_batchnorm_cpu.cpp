// CPU batch normalisation through pose::ops: training forward, saved statistics and running
// statistics against hand-computed values (PyTorch semantics), the inference forward, and the
// backward (dx, dgamma, dbeta) against central differences.
#include <gtest/gtest.h>

#include <cmath>

#include "kernels/layer_op_signatures.h"
#include "layer_test_util.h"

namespace pose {
namespace {

using test::expect_values_near;
using test::tensor_of;
using test::zeros;

constexpr float kEps = 1e-5f;

// x {N=2, H=1, W=2, C=2}: channel 0 holds 1, 2, 3, 4 (mean 2.5, biased variance 1.25,
// unbiased 5/3); channel 1 holds 0, 0, 0, 8 (mean 2, biased variance 12, unbiased 16).
TEST(BatchNormCpu, TrainingForwardAndRunningStatistics) {
  const DeviceContext ctx = DeviceContext::cpu();
  Tensor x = tensor_of({2, 1, 2, 2}, {1, 0, 2, 0, 3, 0, 4, 8});
  Tensor gamma = tensor_of({2}, {2, 0.5f}), beta = tensor_of({2}, {1, -1});
  Tensor running_mean = tensor_of({2}, {0.5f, -1}), running_var = tensor_of({2}, {2, 4});
  Tensor save_mean = zeros({2}), save_invstd = zeros({2}), y = zeros(x.shape());
  ops::batchnorm_forward_training(ctx, y, x, gamma, beta, running_mean, running_var, save_mean,
                                  save_invstd, 0.1f, kEps);

  const double inv0 = 1.0 / std::sqrt(1.25 + kEps), inv1 = 1.0 / std::sqrt(12.0 + kEps);
  auto y0 = [&](double v) { return static_cast<float>(2.0 * (v - 2.5) * inv0 + 1.0); };
  auto y1 = [&](double v) { return static_cast<float>(0.5 * (v - 2.0) * inv1 - 1.0); };
  // 1e-6: the values are O(1) and the reference computes in double before one f32 rounding.
  expect_values_near(y, {y0(1), y1(0), y0(2), y1(0), y0(3), y1(0), y0(4), y1(8)}, 1e-6f, "y");
  expect_values_near(save_mean, {2.5f, 2.0f}, 1e-7f, "save_mean");
  expect_values_near(save_invstd, {static_cast<float>(inv0), static_cast<float>(inv1)}, 1e-7f,
                     "save_invstd");
  // running = 0.9 * running + 0.1 * batch, with the unbiased variance (N*H*W / (N*H*W - 1)).
  expect_values_near(running_mean, {0.9f * 0.5f + 0.1f * 2.5f, 0.9f * -1.0f + 0.1f * 2.0f}, 1e-6f,
                     "running_mean");
  expect_values_near(running_var, {0.9f * 2.0f + 0.1f * 5.0f / 3.0f, 0.9f * 4.0f + 0.1f * 16.0f},
                     1e-6f, "running_var");
}

// Inference uses the running statistics, not the batch's, and changes nothing else.
TEST(BatchNormCpu, InferenceForwardUsesRunningStatistics) {
  const DeviceContext ctx = DeviceContext::cpu();
  Tensor x = tensor_of({1, 1, 2, 2}, {3, 0, -1, 2});
  Tensor gamma = tensor_of({2}, {2, 0.5f}), beta = tensor_of({2}, {1, -1});
  Tensor running_mean = tensor_of({2}, {1, -1}), running_var = tensor_of({2}, {4, 0.25f});
  Tensor y = zeros(x.shape());
  ops::batchnorm_forward_inference(ctx, y, x, gamma, beta, running_mean, running_var, kEps);
  const double s0 = 2.0 / std::sqrt(4.0 + kEps), s1 = 0.5 / std::sqrt(0.25 + kEps);
  expect_values_near(y,
                     {static_cast<float>(2 * s0 + 1), static_cast<float>(1 * s1 - 1),
                      static_cast<float>(-2 * s0 + 1), static_cast<float>(3 * s1 - 1)},
                     1e-6f, "y");
  expect_values_near(running_mean, {1, -1}, 0.0f, "running_mean");
  expect_values_near(running_var, {4, 0.25f}, 0.0f, "running_var");
}

// dx, dgamma, dbeta against central differences of L = dot(bn(x), g) with random g (a constant
// g would make dx vanish). BN is smooth; step 1e-2 gives a truncation error of order
// step^2 * invstd^3 ~ 1e-4 here, and f32 rounding of y (~1e-7 per value, 108 values) divided by
// the 0.02 span adds ~1e-5, so 2e-3 absolute plus 1e-2 relative holds with margin.
TEST(BatchNormCpu, BackwardMatchesFiniteDifferences) {
  const DeviceContext ctx = DeviceContext::cpu();
  const Shape shape{2, 3, 2, 3};
  Tensor x = test::random_tensor(shape, 31), g = test::random_tensor(shape, 32);
  Tensor gamma = test::random_tensor({3}, 33, 0.5f, 1.5f);
  Tensor beta = test::random_tensor({3}, 34);
  Tensor running_mean = zeros({3}), running_var = zeros({3});
  Tensor save_mean = zeros({3}), save_invstd = zeros({3}), y = zeros(shape);
  auto objective = [&] {
    ops::batchnorm_forward_training(ctx, y, x, gamma, beta, running_mean, running_var, save_mean,
                                    save_invstd, 0.1f, kEps);
    return test::dot(y, g);
  };
  objective();  // saves the statistics backward needs
  Tensor dx = zeros(shape), dgamma = zeros({3}), dbeta = zeros({3});
  ops::batchnorm_backward(ctx, dx, dgamma, dbeta, g, x, gamma, save_mean, save_invstd);

  test::expect_gradient_near(dx, test::numeric_gradient(x, 1e-2f, objective), 2e-3, 1e-2, "dx");
  test::expect_gradient_near(dgamma, test::numeric_gradient(gamma, 1e-2f, objective), 2e-3, 1e-2,
                             "dgamma");
  test::expect_gradient_near(dbeta, test::numeric_gradient(beta, 1e-2f, objective), 2e-3, 1e-2,
                             "dbeta");
}

}  // namespace
}  // namespace pose
