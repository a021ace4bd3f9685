// The checked front end of the layer ops: wrong shapes, dtypes, devices and geometries are
// rejected with an Error that names the op and the argument (and the shapes involved), before
// any backend runs.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "kernels/layer_op_signatures.h"
#include "layer_test_util.h"

namespace pose {
namespace {

using test::zeros;

// Runs `call`, which must throw an Error whose message contains every one of `parts`.
void expect_error(const std::function<void()>& call, const std::vector<std::string>& parts) {
  try {
    call();
    ADD_FAILURE() << "expected an Error mentioning '" << parts.front() << "'";
  } catch (const Error& e) {
    for (const std::string& part : parts)
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos)
          << "'" << part << "' missing from: " << e.what();
  }
}

class LayerChecks : public ::testing::Test {
 protected:
  DeviceContext ctx = DeviceContext::cpu();
  Tensor x = zeros({2, 8, 8, 4});
  Tensor w = zeros({16, 3, 3, 4});
  Tensor y = zeros({2, 4, 4, 16});  // x with w at stride 2, pad 1
  const ConvGeometry stride2{2, 1};
};

TEST_F(LayerChecks, ConvAcceptsConsistentArguments) {
  Tensor dx = zeros(x.shape()), dw = zeros(w.shape());
  EXPECT_NO_THROW(ops::conv_forward(ctx, y, x, w, stride2));
  EXPECT_NO_THROW(ops::conv_backward_data(ctx, dx, y, w, stride2));
  EXPECT_NO_THROW(ops::conv_backward_filter(ctx, dw, y, x, stride2));
}

TEST_F(LayerChecks, ConvOutputShapeMustFollowGeometry) {
  // At stride 1 the output would be 8x8, not y's 4x4.
  expect_error([&] { ops::conv_forward(ctx, y, x, w, ConvGeometry{1, 1}); },
               {"conv_forward: y is [2, 4, 4, 16], expected [2, 8, 8, 16]", "x [2, 8, 8, 4]",
                "w [16, 3, 3, 4]"});
  Tensor dx_wrong = zeros({2, 9, 9, 4});  // 9x9 at stride 2 gives 5x5, not dy's 4x4
  expect_error([&] { ops::conv_backward_data(ctx, dx_wrong, y, w, stride2); },
               {"conv_backward_data: dy is [2, 4, 4, 16], expected [2, 5, 5, 16]",
                "dx [2, 9, 9, 4]"});
}

TEST_F(LayerChecks, ConvChannelsKernelAndGeometryMustAgree) {
  Tensor w3 = zeros({16, 3, 3, 3});
  expect_error([&] { ops::conv_forward(ctx, y, x, w3, stride2); },
               {"conv_forward: w [16, 3, 3, 3] has 3 input channels but x [2, 8, 8, 4] has 4"});
  Tensor big = zeros({16, 11, 11, 4});
  expect_error([&] { ops::conv_forward(ctx, y, x, big, stride2); },
               {"conv_forward: x [2, 8, 8, 4] with padding 1 is smaller than the window 11"});
  expect_error([&] { ops::conv_forward(ctx, y, x, w, ConvGeometry{0, 1}); },
               {"conv_forward: stride must be >= 1"});
  Tensor dw_flat = zeros({16, 3, 12});
  expect_error([&] { ops::conv_backward_filter(ctx, dw_flat, y, x, stride2); },
               {"conv_backward_filter: dw must be {K, R, S, C}", "[16, 3, 12]"});
}

TEST_F(LayerChecks, CpuRejectsF16AndForeignDevices) {
  Tensor x16 = Tensor::empty(x.shape(), DType::F16, Device::CPU);
  expect_error([&] { ops::conv_forward(ctx, y, x16, w, stride2); },
               {"conv_forward: x must be f32 on the CPU", "f16 cpu [2, 8, 8, 4]"});
  Tensor dx = zeros(x.shape());
  TensorView dx_gpu = dx.view();
  dx_gpu.device = Device::CUDA;
  expect_error([&] { ops::conv_backward_data(ctx, dx_gpu, y, w, stride2); },
               {"conv_backward_data: dx is on cuda but the context runs on cpu"});
}

TEST_F(LayerChecks, BiasNeedsNhwcAndOneValuePerChannel) {
  expect_error([&] { ops::bias_add(ctx, y, zeros({8})); },
               {"bias_add: bias is [8], expected [16]", "y [2, 4, 4, 16]"});
  expect_error([&] { ops::bias_backward(ctx, zeros({16}), zeros({32, 16})); },
               {"bias_backward: dy must be NHWC", "[32, 16]"});
}

TEST_F(LayerChecks, BatchNormParametersStatisticsAndBatch) {
  Tensor c4 = zeros({4}), c3 = zeros({3}), x_out = zeros(x.shape());
  expect_error(
      [&] { ops::batchnorm_forward_training(ctx, x_out, x, c4, c4, c4, c3, c4, c4, 0.1f, 1e-5f); },
      {"batchnorm_forward_training: running_var is [3], expected [4]", "x [2, 8, 8, 4]"});
  Tensor single = zeros({1, 1, 1, 4});
  expect_error(
      [&] {
        ops::batchnorm_forward_training(ctx, single, single, c4, c4, c4, c4, c4, c4, 0.1f, 1e-5f);
      },
      {"batchnorm_forward_training: x [1, 1, 1, 4] has one value per channel"});
  expect_error([&] { ops::batchnorm_forward_inference(ctx, x_out, x, c4, c4, c4, c4, 0.0f); },
               {"batchnorm_forward_inference: eps must be positive"});
  Tensor dy_wrong = zeros({2, 8, 4, 8});
  expect_error([&] { ops::batchnorm_backward(ctx, x_out, c4, c4, dy_wrong, x, c4, c4, c4); },
               {"batchnorm_backward: dy is [2, 8, 4, 8], expected [2, 8, 8, 4]"});
  Tensor gamma16 = Tensor::empty({4}, DType::F16, Device::CPU);
  expect_error([&] { ops::batchnorm_backward(ctx, x_out, c4, c4, x, x, gamma16, c4, c4); },
               {"batchnorm_backward: gamma must be f32"});
}

TEST_F(LayerChecks, MaxPoolGeometryAndShapes) {
  Tensor pooled = zeros({2, 4, 4, 4});
  expect_error([&] { ops::maxpool_forward(ctx, pooled, x, PoolGeometry{3, 2, 2}); },
               {"maxpool_forward: window 3, stride 2, pad 2 is invalid"});
  Tensor wrong = zeros({2, 3, 3, 4});
  expect_error([&] { ops::maxpool_forward(ctx, wrong, x, PoolGeometry{}); },
               {"maxpool_forward: y is [2, 3, 3, 4], expected [2, 4, 4, 4]"});
  Tensor dx_wrong = zeros({2, 8, 8, 2});
  expect_error([&] { ops::maxpool_backward(ctx, dx_wrong, pooled, x, PoolGeometry{}); },
               {"maxpool_backward: dx is [2, 8, 8, 2], expected [2, 8, 8, 4]"});
}

TEST_F(LayerChecks, MseLossTargetWeightAndLoss) {
  Tensor pred = zeros({2, 4, 3, 8}), loss = zeros({1});
  Tensor target = zeros({2, 4, 3, 5}), weight = zeros({2, 5});
  EXPECT_NO_THROW(ops::mse_loss_forward(ctx, loss, pred, target, weight));  // padded pred
  Tensor too_many = zeros({2, 4, 3, 9});
  expect_error([&] { ops::mse_loss_forward(ctx, loss, pred, too_many, zeros({2, 9})); },
               {"mse_loss_forward: target [2, 4, 3, 9] must have between 1 and pred's 8"});
  expect_error([&] { ops::mse_loss_forward(ctx, loss, pred, target, zeros({2, 4})); },
               {"mse_loss_forward: weight is [2, 4], expected [2, 5]"});
  expect_error([&] { ops::mse_loss_forward(ctx, zeros({2}), pred, target, weight); },
               {"mse_loss_forward: loss is [2], expected [1]"});
  expect_error(
      [&] { ops::mse_loss_backward(ctx, zeros({2, 4, 3, 5}), pred, target, weight, test::tensor_of({1}, {1.0f})); },
      {"mse_loss_backward: dpred is [2, 4, 3, 5], expected [2, 4, 3, 8]"});
}

}  // namespace
}  // namespace pose
