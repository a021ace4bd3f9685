// CUDA vs CPU parity of the layer ops (kernels/layer_op_signatures.h): every op runs through
// pose::ops on the CPU (f32, the reference) and on the GPU in f16 (training precision) and f32,
// on ResNet / SimpleBaseline shapes. Skips without a GPU. Batch norm (plain and fused with a
// ReLU) runs under each CUDA kernel set (kernels/gpu_kernels.h).
//
// Inputs are drawn in f32; for the f16 run they are rounded to f16 before both backends get
// them, so both see identical values and only the arithmetic differs. Every GPU output starts
// as NaN, so an element an op fails to write fails the finiteness check.
//
// Tolerances, as norm-wise relative error ||gpu - cpu|| / ||cpu||:
//   kF16 = 1e-2  f16 outputs. Storing a result in f16 costs up to 2^-11 (4.9e-4) per element;
//                convs accumulate in f32 over up to R*S*C products on tensor cores and round
//                once. 1e-2 leaves room for that, while an indexing or formula bug gives O(1).
//   kF32 = 1e-5  f32 outputs, and f32 results (statistics, dgamma, dbias, loss) of f16 inputs.
//                Both sides sum in f32 or better, in different orders: about sqrt(terms) * 6e-8
//                relative for the largest sums here (~1e-6). cuDNN runs f32 on FMA math: TF32
//                (about 1e-3) would fail this on purpose.
//   exact        max pooling: the forward picks one of the inputs, and the f32 backward adds
//                the same values in the same window order as the CPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/device_context.h"
#include "core/error.h"
#include "core/half.h"
#include "kernels/gpu_kernels.h"
#include "kernels/layer_op_signatures.h"
#include "kernels/ops.h"

namespace pose {
namespace {

constexpr double kF16 = 1e-2;
constexpr double kF32 = 1e-5;
constexpr double kExact = 0.0;

float round_to_half(float v) { return half_bits_to_float(float_to_half_bits(v)); }

class LayerParity : public ::testing::TestWithParam<DType> {
 protected:
  void SetUp() override {
    if (cuda_device_count() == 0) GTEST_SKIP() << "no CUDA device visible: run on the GPU host";
    gpu_ = std::make_unique<DeviceContext>(DeviceContext::cuda(0));
  }
  void TearDown() override { set_gpu_kernels(GpuKernels::Simple); }

  DType dtype() const { return GetParam(); }
  // Tolerance of an output in the run's compute dtype.
  double compute_tolerance() const { return dtype() == DType::F16 ? kF16 : kF32; }

  // A CPU f32 tensor, uniform in [lo, hi), rounded to f16 in the f16 run (activations, weights).
  Tensor values(const Shape& shape, std::uint32_t seed, float lo = -1.0f, float hi = 1.0f) const {
    Tensor t = Tensor::empty(shape, DType::F32, Device::CPU);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(lo, hi);
    for (std::int64_t i = 0; i < t.numel(); ++i) {
      const float v = dist(rng);
      t.data<float>()[i] = dtype() == DType::F16 ? round_to_half(v) : v;
    }
    return t;
  }

  // A CPU f32 tensor that stays f32 on both backends (BN parameters, targets, weights).
  static Tensor f32_values(const Shape& shape, std::uint32_t seed, float lo, float hi) {
    Tensor t = Tensor::empty(shape, DType::F32, Device::CPU);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(lo, hi);
    for (std::int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = dist(rng);
    return t;
  }

  // The GPU copy of a CPU f32 tensor, stored as `as`.
  Tensor upload(const Tensor& host, DType as) const {
    Tensor staged = Tensor::empty(host.shape(), as, Device::CPU);
    for (std::int64_t i = 0; i < host.numel(); ++i) {
      if (as == DType::F32)
        staged.data<float>()[i] = host.data<float>()[i];
      else
        staged.data<std::uint16_t>()[i] = float_to_half_bits(host.data<float>()[i]);
    }
    Tensor dev = Tensor::empty(host.shape(), as, Device::CUDA);
    transfer(*gpu_, dev, staged);
    gpu_->synchronize();  // `staged` is pageable and dies here
    return dev;
  }
  Tensor upload(const Tensor& host) const { return upload(host, dtype()); }

  static Tensor cpu_output(const Shape& shape) {
    return Tensor::empty(shape, DType::F32, Device::CPU);
  }
  Tensor gpu_output(const Shape& shape, DType as) const {
    Tensor dev = Tensor::empty(shape, as, Device::CUDA);
    ops::fill(*gpu_, dev, std::numeric_limits<float>::quiet_NaN());
    return dev;
  }
  Tensor gpu_output(const Shape& shape) const { return gpu_output(shape, dtype()); }

  std::vector<float> download(const Tensor& dev) const {
    Tensor host = Tensor::empty(dev.shape(), dev.dtype(), Device::CPU);
    transfer(*gpu_, host, dev);
    gpu_->synchronize();
    std::vector<float> out(static_cast<std::size_t>(host.numel()));
    for (std::size_t i = 0; i < out.size(); ++i)
      out[i] = host.dtype() == DType::F32 ? host.data<float>()[i]
                                          : half_bits_to_float(host.data<std::uint16_t>()[i]);
    return out;
  }

  // Every GPU value finite, and ||gpu - cpu|| <= tolerance * ||cpu||.
  void expect_close(const std::string& what, const Tensor& cpu, const Tensor& gpu,
                    double tolerance) const {
    const std::vector<float> got = download(gpu);
    ASSERT_EQ(static_cast<std::int64_t>(got.size()), cpu.numel()) << what;
    double diff2 = 0.0, ref2 = 0.0;
    for (std::size_t i = 0; i < got.size(); ++i) {
      ASSERT_TRUE(std::isfinite(got[i])) << what << ": GPU element " << i << " is " << got[i];
      const double ref = cpu.data<float>()[i];
      diff2 += (got[i] - ref) * (got[i] - ref);
      ref2 += ref * ref;
    }
    const double error = std::sqrt(diff2) / std::max(std::sqrt(ref2), 1e-30);
    EXPECT_LE(error, tolerance) << what << " (" << to_string(dtype()) << " on the GPU), shape "
                                << cpu.shape().str();
  }

  DeviceContext cpu_ = DeviceContext::cpu();
  std::unique_ptr<DeviceContext> gpu_;
};

// ---- convolution --------------------------------------------------------------------------

struct ConvCase {
  const char* name;
  Shape x, w;
  ConvGeometry g;
};

Shape conv_output_shape(const Shape& x, const Shape& w, ConvGeometry g) {
  return {x[0], conv_output_size(x[1], w[1], g.stride, g.pad),
          conv_output_size(x[2], w[2], g.stride, g.pad), w[0]};
}

TEST_P(LayerParity, ConvForwardAndBothBackwardsOnResNetShapes) {
  const std::vector<ConvCase> cases = {
      {"stem 7x7/s2 (3 channels padded to 8)", {2, 64, 48, 8}, {64, 7, 7, 8}, {2, 3}},
      {"3x3/s1", {2, 16, 12, 64}, {64, 3, 3, 64}, {1, 1}},
      {"3x3/s2", {2, 16, 12, 128}, {128, 3, 3, 128}, {2, 1}},
      {"1x1 bottleneck", {2, 16, 12, 256}, {64, 1, 1, 256}, {1, 0}},
      {"1x1/s2 downsample", {2, 16, 12, 256}, {512, 1, 1, 256}, {2, 0}},
      {"1x1 to 17 heatmaps padded to 24", {2, 16, 12, 256}, {24, 1, 1, 256}, {1, 0}},
  };
  std::uint32_t seed = 100;
  for (const ConvCase& c : cases) {
    SCOPED_TRACE(c.name);
    const Shape y_shape = conv_output_shape(c.x, c.w, c.g);
    const float w_range = 1.0f / std::sqrt(static_cast<float>(c.w[1] * c.w[2] * c.w[3]));
    const Tensor x = values(c.x, ++seed), w = values(c.w, ++seed, -w_range, w_range);
    const Tensor dy = values(y_shape, ++seed);
    const Tensor x_gpu = upload(x), w_gpu = upload(w), dy_gpu = upload(dy);

    Tensor y = cpu_output(y_shape), y_gpu = gpu_output(y_shape);
    ops::conv_forward(cpu_, y, x, w, c.g);
    ops::conv_forward(*gpu_, y_gpu, x_gpu, w_gpu, c.g);
    expect_close("conv_forward y", y, y_gpu, compute_tolerance());

    Tensor dx = cpu_output(c.x), dx_gpu = gpu_output(c.x);
    ops::conv_backward_data(cpu_, dx, dy, w, c.g);
    ops::conv_backward_data(*gpu_, dx_gpu, dy_gpu, w_gpu, c.g);
    expect_close("conv_backward_data dx", dx, dx_gpu, compute_tolerance());

    Tensor dw = cpu_output(c.w), dw_gpu = gpu_output(c.w);
    ops::conv_backward_filter(cpu_, dw, dy, x, c.g);
    ops::conv_backward_filter(*gpu_, dw_gpu, dy_gpu, x_gpu, c.g);
    expect_close("conv_backward_filter dw", dw, dw_gpu, compute_tolerance());
  }
}

// The deconv head's 4x4/s2/p1 transposed conv from x {N,8,6,Cx} to y {N,16,12,Cy} through the
// conv ops, as the header prescribes (weight {Cx, 4, 4, Cy}).
TEST_P(LayerParity, TransposedConvOfTheDeconvHead) {
  const ConvGeometry g{2, 1};
  const Shape x_shape{2, 8, 6, 256}, y_shape{2, 16, 12, 256}, w_shape{256, 4, 4, 256};
  const float w_range = 1.0f / std::sqrt(256.0f * 4.0f);
  const Tensor x = values(x_shape, 1), w = values(w_shape, 2, -w_range, w_range);
  const Tensor dy = values(y_shape, 3);
  const Tensor x_gpu = upload(x), w_gpu = upload(w), dy_gpu = upload(dy);

  Tensor y = cpu_output(y_shape), y_gpu = gpu_output(y_shape);
  ops::conv_backward_data(cpu_, y, x, w, g);
  ops::conv_backward_data(*gpu_, y_gpu, x_gpu, w_gpu, g);
  expect_close("deconv forward", y, y_gpu, compute_tolerance());

  Tensor dx = cpu_output(x_shape), dx_gpu = gpu_output(x_shape);
  ops::conv_forward(cpu_, dx, dy, w, g);
  ops::conv_forward(*gpu_, dx_gpu, dy_gpu, w_gpu, g);
  expect_close("deconv input gradient", dx, dx_gpu, compute_tolerance());

  Tensor dw = cpu_output(w_shape), dw_gpu = gpu_output(w_shape);
  ops::conv_backward_filter(cpu_, dw, x, dy, g);
  ops::conv_backward_filter(*gpu_, dw_gpu, x_gpu, dy_gpu, g);
  expect_close("deconv weight gradient", dw, dw_gpu, compute_tolerance());
}

// ---- bias ---------------------------------------------------------------------------------

TEST_P(LayerParity, BiasAddAndBackward) {
  // 24 channels: less than one 32-channel tile; 256: several tiles and many row blocks.
  for (const Shape& shape : {Shape{2, 16, 12, 24}, Shape{4, 32, 24, 256}}) {
    SCOPED_TRACE(shape.str());
    const Shape bias_shape{shape[3]};
    const Tensor bias = f32_values(bias_shape, 7, -1.0f, 1.0f);
    Tensor y = values(shape, 8);
    Tensor y_gpu = upload(y);
    ops::bias_add(cpu_, y, bias);
    ops::bias_add(*gpu_, y_gpu, upload(bias, DType::F32));
    expect_close("bias_add y", y, y_gpu, compute_tolerance());

    const Tensor dy = values(shape, 9);
    Tensor dbias = cpu_output(bias_shape), dbias_gpu = gpu_output(bias_shape, DType::F32);
    ops::bias_backward(cpu_, dbias, dy);
    ops::bias_backward(*gpu_, dbias_gpu, upload(dy));
    expect_close("bias_backward dbias", dbias, dbias_gpu, kF32);
  }
}

// ---- batch norm ---------------------------------------------------------------------------

TEST_P(LayerParity, BatchNormTrainingInferenceAndBackward) {
  const std::vector<Shape> shapes = {
      {4, 16, 12, 64},
      {2, 5, 7, 40},     // 70 rows; 40 channels end inside the second tile
      {8, 64, 48, 64},   // 24576 rows: many row blocks in the two-level reduction
      {2, 4, 3, 2048},   // ResNet-50's widest layer: 64 channel tiles, few rows
  };
  const float momentum = 0.1f, eps = 1e-5f;
  for (const GpuKernels kernels : {GpuKernels::Simple, GpuKernels::Vectorized, GpuKernels::Fused})
  for (const Shape& shape : shapes) {
    SCOPED_TRACE(cat(shape.str(), ", ", to_string(kernels), " kernels"));
    set_gpu_kernels(kernels);
    std::uint32_t seed = 200;
    const Shape c_shape{shape[3]};
    // Channel means away from zero (offset up to 3 spreads) test the variance's cancellation.
    Tensor x = Tensor::empty(shape, DType::F32, Device::CPU);
    const Tensor offset = f32_values(c_shape, ++seed, -2.0f, 3.0f);
    const Tensor spread = f32_values(c_shape, ++seed, 0.5f, 2.0f);
    const Tensor noise = values(shape, ++seed);
    for (std::int64_t i = 0; i < x.numel(); ++i) {
      const std::int64_t c = i % shape[3];
      const float v = offset.data<float>()[c] + spread.data<float>()[c] * noise.data<float>()[i];
      x.data<float>()[i] = dtype() == DType::F16 ? round_to_half(v) : v;
    }
    const Tensor gamma = f32_values(c_shape, ++seed, 0.5f, 1.5f);
    const Tensor beta = f32_values(c_shape, ++seed, -0.5f, 0.5f);
    Tensor running_mean = f32_values(c_shape, ++seed, -0.5f, 0.5f);
    Tensor running_var = f32_values(c_shape, ++seed, 0.5f, 2.0f);
    const Tensor x_gpu = upload(x), gamma_gpu = upload(gamma, DType::F32),
                 beta_gpu = upload(beta, DType::F32);
    Tensor running_mean_gpu = upload(running_mean, DType::F32);
    Tensor running_var_gpu = upload(running_var, DType::F32);

    // Inference first, while the running statistics are still the drawn ones.
    Tensor y = cpu_output(shape), y_gpu = gpu_output(shape);
    ops::batchnorm_forward_inference(cpu_, y, x, gamma, beta, running_mean, running_var, eps);
    ops::batchnorm_forward_inference(*gpu_, y_gpu, x_gpu, gamma_gpu, beta_gpu, running_mean_gpu,
                                     running_var_gpu, eps);
    expect_close("inference y", y, y_gpu, compute_tolerance());

    Tensor save_mean = cpu_output(c_shape), save_invstd = cpu_output(c_shape);
    Tensor save_mean_gpu = gpu_output(c_shape, DType::F32);
    Tensor save_invstd_gpu = gpu_output(c_shape, DType::F32);
    ops::batchnorm_forward_training(cpu_, y, x, gamma, beta, running_mean, running_var, save_mean,
                                    save_invstd, momentum, eps);
    ops::batchnorm_forward_training(*gpu_, y_gpu, x_gpu, gamma_gpu, beta_gpu, running_mean_gpu,
                                    running_var_gpu, save_mean_gpu, save_invstd_gpu, momentum,
                                    eps);
    expect_close("training y", y, y_gpu, compute_tolerance());
    expect_close("save_mean", save_mean, save_mean_gpu, kF32);
    expect_close("save_invstd", save_invstd, save_invstd_gpu, kF32);
    expect_close("running_mean", running_mean, running_mean_gpu, kF32);
    expect_close("running_var", running_var, running_var_gpu, kF32);

    const Tensor dy = values(shape, ++seed);
    Tensor dx = cpu_output(shape), dx_gpu = gpu_output(shape);
    Tensor dgamma = cpu_output(c_shape), dbeta = cpu_output(c_shape);
    Tensor dgamma_gpu = gpu_output(c_shape, DType::F32);
    Tensor dbeta_gpu = gpu_output(c_shape, DType::F32);
    ops::batchnorm_backward(cpu_, dx, dgamma, dbeta, dy, x, gamma, save_mean, save_invstd);
    ops::batchnorm_backward(*gpu_, dx_gpu, dgamma_gpu, dbeta_gpu, upload(dy), x_gpu, gamma_gpu,
                            save_mean_gpu, save_invstd_gpu);
    expect_close("backward dx", dx, dx_gpu, compute_tolerance());
    expect_close("backward dgamma", dgamma, dgamma_gpu, kF32);
    expect_close("backward dbeta", dbeta, dbeta_gpu, kF32);

    // Fused with a ReLU: the same statistics, y = max(BN(x), 0), dy masked by y > 0.
    ops::batchnorm_relu_forward_inference(cpu_, y, x, gamma, beta, running_mean, running_var, eps);
    ops::batchnorm_relu_forward_inference(*gpu_, y_gpu, x_gpu, gamma_gpu, beta_gpu, running_mean_gpu,
                                          running_var_gpu, eps);
    expect_close("fused inference y", y, y_gpu, compute_tolerance());
    ops::batchnorm_relu_forward_training(cpu_, y, x, gamma, beta, running_mean, running_var, save_mean,
                                         save_invstd, momentum, eps);
    ops::batchnorm_relu_forward_training(*gpu_, y_gpu, x_gpu, gamma_gpu, beta_gpu, running_mean_gpu,
                                         running_var_gpu, save_mean_gpu, save_invstd_gpu, momentum, eps);
    expect_close("fused training y", y, y_gpu, compute_tolerance());
    expect_close("fused save_invstd", save_invstd, save_invstd_gpu, kF32);
    // The mask must come from the same y on both sides: the GPU gets the CPU's y.
    const Tensor relu_y_gpu = upload(y);
    ops::batchnorm_relu_backward(cpu_, dx, dgamma, dbeta, dy, y, x, gamma, save_mean, save_invstd);
    ops::batchnorm_relu_backward(*gpu_, dx_gpu, dgamma_gpu, dbeta_gpu, upload(dy), relu_y_gpu, x_gpu,
                                 gamma_gpu, save_mean_gpu, save_invstd_gpu);
    expect_close("fused backward dx", dx, dx_gpu, compute_tolerance());
    expect_close("fused backward dgamma", dgamma, dgamma_gpu, kF32);
    expect_close("fused backward dbeta", dbeta, dbeta_gpu, kF32);
  }
}

// ---- max pooling --------------------------------------------------------------------------

struct PoolCase {
  const char* name;
  Shape x;
  PoolGeometry g;
  bool ties;  // inputs from five levels only, so windows often hold their max twice
};

TEST_P(LayerParity, MaxPoolForwardAndBackward) {
  const std::vector<PoolCase> cases = {
      {"ResNet 3x3/s2/p1", {2, 32, 24, 64}, {3, 2, 1}, false},
      {"odd sizes, 8 channels", {2, 15, 11, 8}, {3, 2, 1}, false},
      {"2x2/s2 without overlap", {2, 16, 12, 40}, {2, 2, 0}, false},
      {"ties go to the first position", {2, 32, 24, 64}, {3, 2, 1}, true},
  };
  std::uint32_t seed = 300;
  for (const PoolCase& c : cases) {
    SCOPED_TRACE(c.name);
    const Shape y_shape{c.x[0], conv_output_size(c.x[1], c.g.window, c.g.stride, c.g.pad),
                        conv_output_size(c.x[2], c.g.window, c.g.stride, c.g.pad), c.x[3]};
    Tensor x = values(c.x, ++seed);
    if (c.ties)
      for (std::int64_t i = 0; i < x.numel(); ++i)
        x.data<float>()[i] = std::round(x.data<float>()[i] * 2.0f) / 2.0f;
    const Tensor dy = values(y_shape, ++seed);
    const Tensor x_gpu = upload(x);

    Tensor y = cpu_output(y_shape), y_gpu = gpu_output(y_shape);
    ops::maxpool_forward(cpu_, y, x, c.g);
    ops::maxpool_forward(*gpu_, y_gpu, x_gpu, c.g);
    expect_close("maxpool_forward y", y, y_gpu, kExact);

    Tensor dx = cpu_output(c.x), dx_gpu = gpu_output(c.x);
    ops::maxpool_backward(cpu_, dx, dy, x, c.g);
    ops::maxpool_backward(*gpu_, dx_gpu, upload(dy), x_gpu, c.g);
    expect_close("maxpool_backward dx", dx, dx_gpu, dtype() == DType::F32 ? kExact : kF16);
  }
}

// ---- loss ---------------------------------------------------------------------------------

TEST_P(LayerParity, MseLossForwardAndBackward) {
  const int joints = 17;
  // 24 = 17 heatmaps padded; the second shape fills every partial of the two-level sum.
  for (const Shape& shape : {Shape{2, 16, 12, 24}, Shape{4, 64, 48, 24}}) {
    SCOPED_TRACE(shape.str());
    const Shape target_shape{shape[0], shape[1], shape[2], joints};
    const Tensor pred = values(shape, 11);
    const Tensor target = f32_values(target_shape, 12, 0.0f, 1.0f);
    // Weights 0 (invisible joints), 0.5 and 1.
    Tensor weight = Tensor::empty({shape[0], joints}, DType::F32, Device::CPU);
    for (std::int64_t i = 0; i < weight.numel(); ++i)
      weight.data<float>()[i] = static_cast<float>(i % 3) * 0.5f;
    const Tensor pred_gpu = upload(pred), target_gpu = upload(target, DType::F32),
                 weight_gpu = upload(weight, DType::F32);

    Tensor loss = cpu_output({1}), loss_gpu = gpu_output({1}, DType::F32);
    ops::mse_loss_forward(cpu_, loss, pred, target, weight);
    ops::mse_loss_forward(*gpu_, loss_gpu, pred_gpu, target_gpu, weight_gpu);
    expect_close("loss", loss, loss_gpu, kF32);

    // The dynamic loss scale, an f32 scalar on each backend's device.
    Tensor loss_scale = cpu_output({1});
    loss_scale.data<float>()[0] = 1024.0f;
    Tensor dpred = cpu_output(shape), dpred_gpu = gpu_output(shape);
    ops::mse_loss_backward(cpu_, dpred, pred, target, weight, loss_scale);
    ops::mse_loss_backward(*gpu_, dpred_gpu, pred_gpu, target_gpu, weight_gpu,
                           upload(loss_scale, DType::F32));
    expect_close("dpred", dpred, dpred_gpu, compute_tolerance());
    const std::vector<float> grad = download(dpred_gpu);
    for (std::size_t i = 0; i < grad.size(); ++i) {
      if (static_cast<std::int64_t>(i) % shape[3] >= joints) {
        ASSERT_EQ(grad[i], 0.0f) << "padding channel of dpred element " << i;
      }
    }
  }
}

// The GPU reductions use no atomics: the same inputs give bit-identical results every time.
TEST_P(LayerParity, GpuReductionsRepeatBitForBit) {
  for (const GpuKernels kernels : {GpuKernels::Simple, GpuKernels::Vectorized}) {
  SCOPED_TRACE(to_string(kernels));
  set_gpu_kernels(kernels);
  const Shape shape{8, 64, 48, 64}, c_shape{64};
  const Tensor x_gpu = upload(values(shape, 21)), dy_gpu = upload(values(shape, 22));
  const Tensor gamma = upload(f32_values(c_shape, 23, 0.5f, 1.5f), DType::F32);
  const Tensor beta = upload(f32_values(c_shape, 24, -0.5f, 0.5f), DType::F32);
  std::vector<std::vector<float>> runs[2];
  for (auto& run : runs) {
    Tensor running_mean = gpu_output(c_shape, DType::F32);
    Tensor running_var = gpu_output(c_shape, DType::F32);
    ops::fill(*gpu_, running_mean, 0.0f);
    ops::fill(*gpu_, running_var, 1.0f);
    Tensor y = gpu_output(shape), mean = gpu_output(c_shape, DType::F32),
           invstd = gpu_output(c_shape, DType::F32);
    ops::batchnorm_forward_training(*gpu_, y, x_gpu, gamma, beta, running_mean, running_var, mean,
                                    invstd, 0.1f, 1e-5f);
    Tensor dx = gpu_output(shape), dgamma = gpu_output(c_shape, DType::F32),
           dbeta = gpu_output(c_shape, DType::F32), dbias = gpu_output(c_shape, DType::F32);
    ops::batchnorm_backward(*gpu_, dx, dgamma, dbeta, dy_gpu, x_gpu, gamma, mean, invstd);
    ops::bias_backward(*gpu_, dbias, dy_gpu);
    for (const Tensor* t : {&y, &mean, &invstd, &running_var, &dx, &dgamma, &dbias})
      run.push_back(download(*t));
  }
  for (std::size_t i = 0; i < runs[0].size(); ++i) {
    const std::vector<float>& a = runs[0][i];
    const std::vector<float>& b = runs[1][i];
    ASSERT_EQ(a.size(), b.size());
    EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0)
        << "output " << i << " differs between two runs";
  }
  }
}

INSTANTIATE_TEST_SUITE_P(Dtypes, LayerParity, ::testing::Values(DType::F16, DType::F32),
                         [](const auto& p) { return std::string(to_string(p.param)); });

}  // namespace
}  // namespace pose
