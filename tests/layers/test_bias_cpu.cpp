// CPU per-channel bias through pose::ops: bias_add in place on an NHWC tensor, and
// bias_backward's per-channel sums by hand and against central differences.
#include <gtest/gtest.h>

#include "kernels/layer_op_signatures.h"
#include "layer_test_util.h"

namespace pose {
namespace {

using test::tensor_of;

TEST(BiasCpu, AddIsPerChannelAndInPlace) {
  const DeviceContext ctx = DeviceContext::cpu();
  Tensor y = tensor_of({1, 1, 2, 3}, {1, 2, 3, 4, 5, 6});
  ops::bias_add(ctx, y, tensor_of({3}, {10, -1, 0.5f}));
  test::expect_values_near(y, {11, 1, 3.5f, 14, 4, 6.5f}, 0.0f, "y");
}

TEST(BiasCpu, BackwardSumsOverBatchAndPixels) {
  const DeviceContext ctx = DeviceContext::cpu();
  Tensor dy = tensor_of({2, 1, 2, 2}, {1, 10, 2, 20, 3, 30, 4, 40});
  Tensor dbias = tensor_of({2}, {99, 99});  // overwritten, not accumulated
  ops::bias_backward(ctx, dbias, dy);
  test::expect_values_near(dbias, {10, 100}, 0.0f, "dbias");
}

// L = dot(y + bias, g) is linear in bias: a step of 0.25 is exact up to f32 rounding of the
// 24 sums (~1e-7 each), far below the 1e-4 tolerance.
TEST(BiasCpu, BackwardMatchesFiniteDifferences) {
  const DeviceContext ctx = DeviceContext::cpu();
  const Shape shape{2, 2, 2, 3};
  Tensor x = test::random_tensor(shape, 41), g = test::random_tensor(shape, 42);
  Tensor bias = test::random_tensor({3}, 43), y = test::zeros(shape);
  auto objective = [&] {
    for (std::int64_t i = 0; i < x.numel(); ++i) y.data<float>()[i] = x.data<float>()[i];
    ops::bias_add(ctx, y, bias);
    return test::dot(y, g);
  };
  Tensor dbias = test::zeros({3});
  ops::bias_backward(ctx, dbias, g);
  test::expect_gradient_near(dbias, test::numeric_gradient(bias, 0.25f, objective), 1e-4, 1e-4,
                             "dbias");
}

}  // namespace
}  // namespace pose
