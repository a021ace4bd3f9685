// The CPU elementwise ops through pose::ops: values in f32 and f16, in-place use, and the
// argument checks shared with the CUDA backend.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "../common/host_tensors.h"
#include "core/error.h"
#include "kernels/ops.h"

namespace pose {
namespace {

using test::host_tensor;
using test::host_values;

class ElementwiseCpu : public ::testing::TestWithParam<DType> {
 protected:
  DeviceContext ctx = DeviceContext::cpu();
  DType dtype() const { return GetParam(); }
};

TEST_P(ElementwiseCpu, Fill) {
  Tensor t = host_tensor({1, 2, 3}, dtype());
  ops::fill(ctx, t, -1.5f);
  EXPECT_EQ(host_values(t), (std::vector<float>{-1.5f, -1.5f, -1.5f}));
}

TEST_P(ElementwiseCpu, CopyAndScale) {
  Tensor in = host_tensor({1, -2, 0.25f}, dtype());
  Tensor out = host_tensor({0, 0, 0}, dtype());
  ops::copy(ctx, out, in);
  EXPECT_EQ(host_values(out), (std::vector<float>{1, -2, 0.25f}));
  ops::scale(ctx, out, in, 4.0f);
  EXPECT_EQ(host_values(out), (std::vector<float>{4, -8, 1}));
  ops::scale(ctx, out, out, 0.5f);  // in place
  EXPECT_EQ(host_values(out), (std::vector<float>{2, -4, 0.5f}));
}

TEST_P(ElementwiseCpu, Add) {
  Tensor a = host_tensor({1, 2, -3, 0.5f}, dtype());
  Tensor b = host_tensor({10, -2, 1, 0.25f}, dtype());
  Tensor out = host_tensor({0, 0, 0, 0}, dtype());
  ops::add(ctx, out, a, b);
  EXPECT_EQ(host_values(out), (std::vector<float>{11, 0, -2, 0.75f}));
  ops::add(ctx, a, a, b);  // residual-style accumulate in place
  EXPECT_EQ(host_values(a), (std::vector<float>{11, 0, -2, 0.75f}));
}

TEST_P(ElementwiseCpu, ReluForwardAndBackward) {
  Tensor x = host_tensor({-2, -0.0f, 0, 3, 1e-3f}, dtype());
  Tensor y = host_tensor({9, 9, 9, 9, 9}, dtype());
  ops::relu_forward(ctx, y, x);
  const std::vector<float> forward = host_values(y);
  EXPECT_EQ(forward, (std::vector<float>{0, 0, 0, 3, host_values(x)[4]}));

  Tensor dy = host_tensor({1, 2, 3, 4, 5}, dtype());
  Tensor dx = host_tensor({9, 9, 9, 9, 9}, dtype());
  ops::relu_backward(ctx, dx, dy, y);
  // The gradient passes only where the output is positive (zero outputs block it).
  EXPECT_EQ(host_values(dx), (std::vector<float>{0, 0, 0, 4, 5}));
}

INSTANTIATE_TEST_SUITE_P(Dtypes, ElementwiseCpu, ::testing::Values(DType::F32, DType::F16),
                         [](const auto& p) { return std::string(to_string(p.param)); });

TEST(ElementwiseCpuF16, RoundsResultsToNearestEven) {
  const DeviceContext ctx = DeviceContext::cpu();
  // 2048 + 1 is not representable in f16 (spacing 2 there): the tie rounds to even, 2048.
  Tensor a = host_tensor({2048, 2050}, DType::F16);
  Tensor b = host_tensor({1, 1}, DType::F16);
  Tensor out = host_tensor({0, 0}, DType::F16);
  ops::add(ctx, out, a, b);
  EXPECT_EQ(host_values(out), (std::vector<float>{2048, 2052}));
  ops::scale(ctx, out, a, 64.0f);  // 131072 overflows f16
  EXPECT_TRUE(std::isinf(host_values(out)[0]));
}

TEST(ElementwiseCpu, CastRoundTripsAndRounds) {
  const DeviceContext ctx = DeviceContext::cpu();
  Tensor f32 = host_tensor({1.0f, 0.1f, -65504.0f, 1e6f, 3e-8f}, DType::F32);
  Tensor f16 = Tensor::empty(f32.shape(), DType::F16, Device::CPU);
  ops::cast(ctx, f16, f32);
  const std::uint16_t* bits = f16.data<std::uint16_t>();
  EXPECT_EQ(bits[0], 0x3c00);
  EXPECT_EQ(bits[1], 0x2e66);  // 0.1 -> 0.0999755859375
  EXPECT_EQ(bits[2], 0xfbff);
  EXPECT_EQ(bits[3], 0x7c00);  // overflow -> inf
  EXPECT_EQ(bits[4], 0x0001);  // 3e-8 rounds to the smallest subnormal (5.96e-8)
  Tensor back = Tensor::empty(f32.shape(), DType::F32, Device::CPU);
  ops::cast(ctx, back, f16);
  EXPECT_FLOAT_EQ(back.data<float>()[1], 0.0999755859375f);
}

TEST(ElementwiseChecks, RejectMismatchedArguments) {
  const DeviceContext ctx = DeviceContext::cpu();
  Tensor three = host_tensor({1, 2, 3}, DType::F32);
  Tensor two = host_tensor({1, 2}, DType::F32);
  Tensor half3 = host_tensor({1, 2, 3}, DType::F16);
  EXPECT_THROW(ops::add(ctx, three, three, two), Error);    // element counts differ
  EXPECT_THROW(ops::copy(ctx, three, half3), Error);        // copy never converts
  EXPECT_THROW(ops::cast(ctx, two, half3), Error);          // cast still needs equal counts
  TensorView on_gpu = three.view();
  on_gpu.device = Device::CUDA;
  try {
    ops::relu_forward(ctx, three, on_gpu);
    FAIL() << "a CUDA tensor given to a CPU context must be rejected";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("relu_forward: input is on cuda"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace pose
