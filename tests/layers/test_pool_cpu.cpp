// CPU max pooling through pose::ops (ResNet's 3x3, stride 2, pad 1): hand-worked forward and
// backward with padding, a tie and overlapping windows, and the backward against central
// differences on distinct values.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "kernels/layer_op_signatures.h"
#include "layer_test_util.h"

namespace pose {
namespace {

using test::expect_values_near;
using test::tensor_of;
using test::zeros;

// x {1, 4, 4, 1}, all windows clipped by the zero padding; y {1, 2, 2, 1}:
//   -5 -2 -4 -9     window (0,0): rows 0-1, cols 0-1 -> -2, a tie of (0,1) and (1,0)
//   -2 -3 -8 -1     window (0,1): rows 0-1, cols 1-3 -> -1 at (1,3)
//   -7 -6  0  3     window (1,0): rows 1-3, cols 0-1 -> 7 at (3,1)
//   -1  7  3  2     window (1,1): rows 1-3, cols 1-3 -> 7 at (3,1) again
Tensor hand_input() {
  return tensor_of({1, 4, 4, 1}, {-5, -2, -4, -9, -2, -3, -8, -1, -7, -6, 0, 3, -1, 7, 3, 2});
}

// The maxima are negative where the padding would have given 0: padding never wins.
TEST(MaxPoolCpu, ForwardIgnoresPadding) {
  const DeviceContext ctx = DeviceContext::cpu();
  Tensor x = hand_input(), y = zeros({1, 2, 2, 1});
  ops::maxpool_forward(ctx, y, x, PoolGeometry{});
  expect_values_near(y, {-2, -1, 7, 7}, 0.0f, "y");
}

// The tie in window (0,0) sends its gradient to (0,1), first in row-major order (column-major
// order would pick (1,0)); the two windows sharing the 7 at (3,1) add up there.
TEST(MaxPoolCpu, BackwardPicksFirstMaxAndAddsOverlaps) {
  const DeviceContext ctx = DeviceContext::cpu();
  Tensor x = hand_input(), dy = tensor_of({1, 2, 2, 1}, {1, 10, 100, 1000});
  Tensor dx = test::random_tensor(x.shape(), 51);  // overwritten
  ops::maxpool_backward(ctx, dx, dy, x, PoolGeometry{});
  expect_values_near(dx, {0, 1, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 1100, 0, 0}, 0.0f, "dx");
}

// Channels pool independently: channel 1 is channel 0 negated, so its maxima sit elsewhere.
TEST(MaxPoolCpu, ChannelsAreIndependent) {
  const DeviceContext ctx = DeviceContext::cpu();
  Tensor x = tensor_of({1, 2, 2, 2}, {1, -1, 4, -4, 2, -2, 3, -3});
  Tensor y = zeros({1, 1, 1, 2}), dx = zeros(x.shape());
  const PoolGeometry g{2, 2, 0};
  ops::maxpool_forward(ctx, y, x, g);
  expect_values_near(y, {4, -1}, 0.0f, "y");
  ops::maxpool_backward(ctx, dx, tensor_of({1, 1, 1, 2}, {5, 6}), x, g);
  expect_values_near(dx, {0, 6, 5, 0, 0, 0, 0, 0}, 0.0f, "dx");
}

// With distinct inputs 0.01 apart, a step of 1e-3 never changes which input is a window's max,
// so L = dot(pool(x), g) is linear around x and the differences are exact up to f32 rounding
// of the inputs (~1e-8 / 2e-3 span): 1e-4 is a wide margin.
TEST(MaxPoolCpu, BackwardMatchesFiniteDifferences) {
  const DeviceContext ctx = DeviceContext::cpu();
  const Shape x_shape{2, 5, 6, 3}, y_shape{2, 3, 3, 3};
  std::vector<float> values(static_cast<std::size_t>(x_shape.numel()));
  std::iota(values.begin(), values.end(), 0.0f);
  std::shuffle(values.begin(), values.end(), std::mt19937(52));
  for (float& v : values) v = v * 0.01f - 1.0f;
  Tensor x = tensor_of(x_shape, values), g = test::random_tensor(y_shape, 53), y = zeros(y_shape);
  auto objective = [&] {
    ops::maxpool_forward(ctx, y, x, PoolGeometry{});
    return test::dot(y, g);
  };
  Tensor dx = zeros(x_shape);
  ops::maxpool_backward(ctx, dx, g, x, PoolGeometry{});
  test::expect_gradient_near(dx, test::numeric_gradient(x, 1e-3f, objective), 1e-4, 1e-3, "dx");
}

}  // namespace
}  // namespace pose
