// CPU convolution through pose::ops, for each implementation the build has (the im2col
// reference and oneDNN, kernels/cpu_conv.h): forward against a naive direct 7-loop reference,
// input and weight gradients against central differences for each geometry the network uses
// (and channel counts off oneDNN's 16-channel blocks), the transposed-conv recipe of the deconv
// head; and the reference's batches split into several im2col chunks.
#include <gtest/gtest.h>

#include <cmath>
#include <ostream>
#include <string>
#include <vector>

#include "kernels/cpu_conv.h"
#include "kernels/layer_op_signatures.h"
#include "layer_test_util.h"

namespace pose {
namespace {

using test::dot;
using test::numeric_gradient;
using test::random_tensor;
using test::zeros;

// y[n,ho,wo,k] = sum_{r,s,c} x[n, ho*stride-pad+r, wo*stride-pad+s, c] * w[k,r,s,c], in double.
std::vector<double> naive_conv(const TensorView& x, const TensorView& w, ConvGeometry g,
                               std::int64_t ho_size, std::int64_t wo_size) {
  const std::int64_t n_size = x.shape[0], h = x.shape[1], wd = x.shape[2], c_size = x.shape[3];
  const std::int64_t k_size = w.shape[0], r_size = w.shape[1], s_size = w.shape[2];
  std::vector<double> y(static_cast<std::size_t>(n_size * ho_size * wo_size * k_size), 0.0);
  const float* xs = x.as<const float>();
  const float* ws = w.as<const float>();
  for (std::int64_t n = 0; n < n_size; ++n)
    for (std::int64_t ho = 0; ho < ho_size; ++ho)
      for (std::int64_t wo = 0; wo < wo_size; ++wo)
        for (std::int64_t k = 0; k < k_size; ++k) {
          double sum = 0.0;
          for (std::int64_t r = 0; r < r_size; ++r)
            for (std::int64_t s = 0; s < s_size; ++s)
              for (std::int64_t c = 0; c < c_size; ++c) {
                const std::int64_t hi = ho * g.stride - g.pad + r, wi = wo * g.stride - g.pad + s;
                if (hi < 0 || hi >= h || wi < 0 || wi >= wd) continue;
                sum += double{xs[((n * h + hi) * wd + wi) * c_size + c]} *
                       ws[((k * r_size + r) * s_size + s) * c_size + c];
              }
          y[static_cast<std::size_t>(((n * ho_size + ho) * wo_size + wo) * k_size + k)] = sum;
        }
  return y;
}

// Runs body once per CPU convolution implementation of this build, then restores the choice.
template <typename Body>
void for_each_cpu_conv(Body body) {
  const CpuConv before = cpu_conv();
  std::vector<CpuConv> implementations{CpuConv::Reference};
  if (onednn_available()) implementations.push_back(CpuConv::Onednn);
  for (const CpuConv conv : implementations) {
    SCOPED_TRACE(to_string(conv));
    set_cpu_conv(conv);
    body();
  }
  set_cpu_conv(before);
}

struct ConvCase {
  std::string name;
  std::int64_t n, h, w, c, k;
  int kernel;
  ConvGeometry g;
};

std::ostream& operator<<(std::ostream& out, const ConvCase& c) { return out << c.name; }

class ConvCpu : public ::testing::TestWithParam<ConvCase> {
 protected:
  DeviceContext ctx = DeviceContext::cpu();
  const ConvCase& cc() const { return GetParam(); }
  std::int64_t ho() const { return out_size(cc().h); }
  std::int64_t wo() const { return out_size(cc().w); }
  std::int64_t out_size(std::int64_t in) const {
    return conv_output_size(in, cc().kernel, cc().g.stride, cc().g.pad);
  }
  Shape x_shape() const { return {cc().n, cc().h, cc().w, cc().c}; }
  Shape w_shape() const { return {cc().k, cc().kernel, cc().kernel, cc().c}; }
  Shape y_shape() const { return {cc().n, ho(), wo(), cc().k}; }
};

// Forward matches the direct definition (f32 sums of at most 7*7*3 products of values in
// [-1, 1]: 1e-5 absolute covers the f32 rounding of the BLAS accumulation).
TEST_P(ConvCpu, ForwardMatchesNaiveReference) {
  Tensor x = random_tensor(x_shape(), 1), w = random_tensor(w_shape(), 2), y = zeros(y_shape());
  const std::vector<double> expected = naive_conv(x, w, cc().g, ho(), wo());
  for_each_cpu_conv([&] {
    ops::conv_forward(ctx, y, x, w, cc().g);
    for (std::size_t i = 0; i < expected.size(); ++i)
      ASSERT_NEAR(y.data<float>()[i], expected[i], 1e-5) << "element " << i;
  });
}

// dx and dw against central differences of L = dot(conv(x, w), g). The conv is linear in x
// and in w, so the differences have no truncation error and a large step (0.25) is exact up to
// the f32 rounding of y (~1e-7 relative per output, summed over the outputs one element
// touches, then divided by the 0.5 span): a few 1e-6 measured for gradients of size 1-6, so
// 1e-4 absolute plus 1e-4 relative leaves a wide margin while any indexing slip is O(1).
TEST_P(ConvCpu, GradientsMatchFiniteDifferences) {
  Tensor x = random_tensor(x_shape(), 3), w = random_tensor(w_shape(), 4);
  Tensor g = random_tensor(y_shape(), 5), y = zeros(y_shape());
  auto objective = [&] {
    ops::conv_forward(ctx, y, x, w, cc().g);
    return dot(y, g);
  };
  for_each_cpu_conv([&] {
    Tensor dx = random_tensor(x_shape(), 6), dw = random_tensor(w_shape(), 7);  // overwritten
    ops::conv_backward_data(ctx, dx, g, w, cc().g);
    ops::conv_backward_filter(ctx, dw, g, x, cc().g);
    test::expect_gradient_near(dx, numeric_gradient(x, 0.25f, objective), 1e-4, 1e-4, "dx");
    test::expect_gradient_near(dw, numeric_gradient(w, 0.25f, objective), 1e-4, 1e-4, "dw");
  });
}

INSTANTIATE_TEST_SUITE_P(
    Geometries, ConvCpu,
    ::testing::Values(ConvCase{"k1_s1", 2, 5, 4, 6, 3, 1, {1, 0}},
                      ConvCase{"k1_s2_downsample", 2, 5, 6, 4, 3, 1, {2, 0}},
                      ConvCase{"k3_s1_p1", 2, 5, 4, 3, 4, 3, {1, 1}},
                      ConvCase{"k3_s2_p1", 2, 7, 6, 3, 4, 3, {2, 1}},
                      ConvCase{"k7_s2_p3", 1, 9, 8, 3, 2, 7, {2, 3}},
                      ConvCase{"k7_s2_p3_stem", 2, 12, 10, 3, 16, 7, {2, 3}},
                      ConvCase{"k3_s1_p1_c16_k32", 2, 6, 5, 16, 32, 3, {1, 1}},
                      ConvCase{"k3_s2_p1_c32_k64", 2, 8, 6, 32, 64, 3, {2, 1}},
                      ConvCase{"k1_s2_c8_k16", 1, 8, 8, 8, 16, 1, {2, 0}},
                      ConvCase{"k1_s1_c64_k17_head", 2, 4, 3, 64, 17, 1, {1, 0}}),
    [](const auto& p) { return p.param.name; });

// The transposed conv of the deconv head (kernel 4, stride 2, pad 1, doubling H and W) by the
// recipe of layer_op_signatures.h, with W {Cx, R, S, Cy}.
class TransposedConvCpu : public ::testing::Test {
 protected:
  static constexpr std::int64_t kN = 2, kH = 3, kW = 2, kCx = 3, kCy = 2;
  const ConvGeometry g{2, 1};
  DeviceContext ctx = DeviceContext::cpu();
  Tensor x = random_tensor({kN, kH, kW, kCx}, 11);
  Tensor w = random_tensor({kCx, 4, 4, kCy}, 12);
  Tensor y = zeros({kN, 2 * kH, 2 * kW, kCy});

  void forward() { ops::conv_backward_data(ctx, y, x, w, g); }
};

// Forward equals the scatter definition y[n, h*2-1+r, w*2-1+s, cy] += x[n,h,w,cx] * W[cx,r,s,cy]
// (PyTorch's ConvTranspose2d); 1e-5 as for the forward conv.
TEST_F(TransposedConvCpu, ForwardMatchesScatterDefinition) {
  std::vector<double> expected(static_cast<std::size_t>(y.numel()), 0.0);
  const std::int64_t ho_size = 2 * kH, wo_size = 2 * kW;
  for (std::int64_t n = 0; n < kN; ++n)
    for (std::int64_t h = 0; h < kH; ++h)
      for (std::int64_t wi = 0; wi < kW; ++wi)
        for (std::int64_t cx = 0; cx < kCx; ++cx)
          for (std::int64_t r = 0; r < 4; ++r)
            for (std::int64_t s = 0; s < 4; ++s)
              for (std::int64_t cy = 0; cy < kCy; ++cy) {
                const std::int64_t ho = h * 2 - 1 + r, wo = wi * 2 - 1 + s;
                if (ho < 0 || ho >= ho_size || wo < 0 || wo >= wo_size) continue;
                const auto out = ((n * ho_size + ho) * wo_size + wo) * kCy + cy;
                expected[static_cast<std::size_t>(out)] +=
                    double{x.data<float>()[((n * kH + h) * kW + wi) * kCx + cx]} *
                    w.data<float>()[((cx * 4 + r) * 4 + s) * kCy + cy];
              }
  for_each_cpu_conv([&] {
    forward();
    for (std::size_t i = 0; i < expected.size(); ++i)
      ASSERT_NEAR(y.data<float>()[i], expected[i], 1e-5) << "element " << i;
  });
}

// Input gradient = conv_forward(dx <- dy), weight gradient = conv_backward_filter(dw, x, dy),
// both against central differences of L = dot(transposed(x, W), g); linear again, so the
// tolerances of the forward conv's gradients apply.
TEST_F(TransposedConvCpu, GradientsByRecipeMatchFiniteDifferences) {
  Tensor g_out = random_tensor(y.shape(), 13);
  auto objective = [&] {
    forward();
    return dot(y, g_out);
  };
  for_each_cpu_conv([&] {
    Tensor dx = zeros(x.shape()), dw = zeros(w.shape());
    ops::conv_forward(ctx, dx, g_out, w, g);
    ops::conv_backward_filter(ctx, dw, x, g_out, g);
    test::expect_gradient_near(dx, numeric_gradient(x, 0.25f, objective), 1e-4, 1e-4, "dx");
    test::expect_gradient_near(dw, numeric_gradient(w, 0.25f, objective), 1e-4, 1e-4, "dw");
  });
}

// The reference's chunking: a batch whose column matrices exceed its 32 MiB budget is split
// into chunks of two images and one: forward still matches the naive reference, and both backward ops satisfy
// the adjoint identities dot(conv(x, w), dy) = dot(x, dx) = dot(w, dw) (relative 1e-5: the
// three sums of ~1e7 products agree to f32 accumulation accuracy).
TEST(ConvCpuChunks, ChunkedBatchMatchesReferenceAndAdjoints) {
  const DeviceContext ctx = DeviceContext::cpu();
  const ConvGeometry g{1, 1};
  const CpuConv before = cpu_conv();
  set_cpu_conv(CpuConv::Reference);
  Tensor x = random_tensor({3, 32, 32, 320}, 21), w = random_tensor({2, 3, 3, 320}, 22);
  Tensor y = zeros({3, 32, 32, 2}), dy = random_tensor(y.shape(), 23);
  Tensor dx = zeros(x.shape()), dw = zeros(w.shape());
  ops::conv_forward(ctx, y, x, w, g);
  ops::conv_backward_data(ctx, dx, dy, w, g);
  ops::conv_backward_filter(ctx, dw, dy, x, g);

  const std::vector<double> expected = naive_conv(x, w, g, 32, 32);
  for (std::size_t i = 0; i < expected.size(); ++i)
    ASSERT_NEAR(y.data<float>()[i], expected[i], 1e-4) << "element " << i;
  const double forward = dot(y, dy);
  EXPECT_NEAR(dot(x, dx), forward, 1e-5 * std::abs(forward) + 1e-3);
  EXPECT_NEAR(dot(w, dw), forward, 1e-5 * std::abs(forward) + 1e-3);
  set_cpu_conv(before);
}

}  // namespace
}  // namespace pose
