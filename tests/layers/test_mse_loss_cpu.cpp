// CPU joints MSE loss through pose::ops: a hand-worked value with a zero target weight and
// padded pred channels, the gradient against central differences, and the loss_scale factor.
#include <gtest/gtest.h>

#include "kernels/layer_op_signatures.h"
#include "layer_test_util.h"

namespace pose {
namespace {

using test::expect_values_near;
using test::tensor_of;
using test::zeros;

// pred {N=2, 1, 1, Cp=3} with a padding channel holding +-99, target {2, 1, 1, J=2}:
//   image 0: w = (1, 0.5): (1 * (1 - 0))^2 + (0.5 * (2 - 4))^2 = 1 + 1
//   image 1: w = (0, 2):   (0 * (3 - 5))^2 + (2 * (-1 - 1))^2 = 0 + 16
// loss = 0.5 * 18 / (N*h*w*J = 4) = 2.25; dpred = w^2 (pred - target) / 4, zero in padding.
struct HandCase {
  Tensor pred = tensor_of({2, 1, 1, 3}, {1, 2, 99, 3, -1, -99});
  Tensor target = tensor_of({2, 1, 1, 2}, {0, 4, 5, 1});
  Tensor weight = tensor_of({2, 2}, {1, 0.5f, 0, 2});
};

TEST(MseLossCpu, ForwardHandWorked) {
  const DeviceContext ctx = DeviceContext::cpu();
  HandCase hc;
  Tensor loss = zeros({1});
  ops::mse_loss_forward(ctx, loss, hc.pred, hc.target, hc.weight);
  EXPECT_FLOAT_EQ(loss.data<float>()[0], 2.25f);
}

// The gradient is multiplied by loss_scale (mixed precision's dynamic scale); every value here
// is exact in binary, so the comparison is exact.
TEST(MseLossCpu, BackwardHandWorkedWithLossScale) {
  const DeviceContext ctx = DeviceContext::cpu();
  HandCase hc;
  Tensor dpred = test::random_tensor(hc.pred.shape(), 61);  // padding must be overwritten too
  ops::mse_loss_backward(ctx, dpred, hc.pred, hc.target, hc.weight, tensor_of({1}, {1.0f}));
  expect_values_near(dpred, {0.25f, -0.125f, 0, 0, -2, 0}, 0.0f, "dpred");
  ops::mse_loss_backward(ctx, dpred, hc.pred, hc.target, hc.weight, tensor_of({1}, {128.0f}));
  expect_values_near(dpred, {32, -16, 0, 0, -256, 0}, 0.0f, "dpred scaled");
}

// The loss is quadratic in pred, so central differences with step 1e-2 are exact up to the f32
// rounding of the two losses (~1e-8 each / 0.02 span ~ 1e-6); gradients are up to ~0.2, and
// 1e-5 absolute plus 1e-3 relative holds with margin. Padding channels must get 0 both ways.
TEST(MseLossCpu, BackwardMatchesFiniteDifferences) {
  const DeviceContext ctx = DeviceContext::cpu();
  Tensor pred = test::random_tensor({2, 3, 2, 4}, 62);
  Tensor target = test::random_tensor({2, 3, 2, 3}, 63);
  Tensor weight = tensor_of({2, 3}, {1, 0, 0.5f, 2, 1, 0.25f});
  Tensor loss = zeros({1});
  auto objective = [&] {
    ops::mse_loss_forward(ctx, loss, pred, target, weight);
    return double{loss.data<float>()[0]};
  };
  Tensor dpred = zeros(pred.shape());
  ops::mse_loss_backward(ctx, dpred, pred, target, weight, tensor_of({1}, {1.0f}));
  test::expect_gradient_near(dpred, test::numeric_gradient(pred, 1e-2f, objective), 1e-5, 1e-3,
                             "dpred");
  for (std::int64_t i = 3; i < dpred.numel(); i += 4) EXPECT_EQ(dpred.data<float>()[i], 0.0f);
}

}  // namespace
}  // namespace pose
