// CUDA vs CPU parity of the elementwise ops: the same inputs give bit-identical outputs in f32
// and f16 (both backends compute in f32 and round to nearest even), under each CUDA kernel set
// (kernels/gpu_kernels.h: the vectorized kernels must agree bit for bit too, their scalar tail
// included: kN is not a multiple of the vector width). Skips without a GPU.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <vector>

#include "core/device_context.h"
#include "core/half.h"
#include "kernels/gpu_kernels.h"
#include "kernels/ops.h"

namespace pose {
namespace {

class ElementwiseParity : public ::testing::TestWithParam<DType> {
 protected:
  void SetUp() override {
    if (cuda_device_count() == 0) GTEST_SKIP() << "no CUDA device visible: run on the GPU host";
    gpu_ = std::make_unique<DeviceContext>(DeviceContext::cuda(0));
  }
  void TearDown() override { set_gpu_kernels(GpuKernels::Simple); }

  // Random values spanning signs and magnitudes, including exact zeros and, for f16, values
  // large enough to overflow when scaled.
  Tensor random_host(std::int64_t n, std::uint32_t seed) const {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::uniform_int_distribution<int> exponent(-20, 14);
    Tensor t = Tensor::empty({n}, GetParam(), Device::CPU);
    for (std::int64_t i = 0; i < n; ++i) {
      const float v = i % 17 == 0 ? 0.0f : std::ldexp(normal(rng), exponent(rng));
      if (GetParam() == DType::F32)
        t.data<float>()[i] = v;
      else
        t.data<std::uint16_t>()[i] = float_to_half_bits(v);
    }
    return t;
  }

  Tensor to_gpu(const Tensor& host) const {
    Tensor dev = Tensor::empty(host.shape(), host.dtype(), Device::CUDA);
    transfer(*gpu_, dev, host);
    return dev;
  }

  // A device output pre-filled with a poison pattern, so unwritten elements show.
  Tensor poisoned_gpu(const Shape& shape, DType dtype) const {
    Tensor dev = Tensor::empty(shape, dtype, Device::CUDA);
    ops::fill(*gpu_, dev, 12345.0f);
    return dev;
  }

  void expect_bitwise_equal(const Tensor& cpu, const Tensor& gpu, const char* op) const {
    Tensor back = Tensor::empty(gpu.shape(), gpu.dtype(), Device::CPU);
    transfer(*gpu_, back, gpu);
    gpu_->synchronize();
    ASSERT_EQ(cpu.bytes(), back.bytes());
    const auto* a = cpu.data<std::uint8_t>();
    const auto* b = back.data<std::uint8_t>();
    const std::size_t width = dtype_size(cpu.dtype());
    for (std::size_t i = 0; i < cpu.bytes(); i += width)
      ASSERT_EQ(std::memcmp(a + i, b + i, width), 0) << op << ": element " << i / width << " differs";
  }

  DeviceContext cpu_ = DeviceContext::cpu();
  std::unique_ptr<DeviceContext> gpu_;
  static constexpr std::int64_t kN = 1 << 20 | 37;  // not a multiple of the block size
};

TEST_P(ElementwiseParity, AllOpsMatchTheCpuReferenceBitForBit) {
  const Tensor a = random_host(kN, 1), b = random_host(kN, 2);
  const Tensor a_gpu = to_gpu(a), b_gpu = to_gpu(b);
  const DType dt = GetParam();

  struct Case {
    const char* name;
    std::function<void(const DeviceContext&, const TensorView&, const TensorView&, const TensorView&)> run;
  };
  const std::vector<Case> cases = {
      {"fill", [](auto& c, auto& o, auto&, auto&) { ops::fill(c, o, -0.3f); }},
      {"copy", [](auto& c, auto& o, auto& x, auto&) { ops::copy(c, o, x); }},
      {"scale", [](auto& c, auto& o, auto& x, auto&) { ops::scale(c, o, x, 3.7f); }},
      {"add", [](auto& c, auto& o, auto& x, auto& y) { ops::add(c, o, x, y); }},
      {"add_relu", [](auto& c, auto& o, auto& x, auto& y) { ops::add_relu(c, o, x, y); }},
      {"relu_forward", [](auto& c, auto& o, auto& x, auto&) { ops::relu_forward(c, o, x); }},
      {"relu_backward", [](auto& c, auto& o, auto& x, auto& y) { ops::relu_backward(c, o, x, y); }},
  };
  for (const GpuKernels kernels : {GpuKernels::Simple, GpuKernels::Vectorized}) {
    SCOPED_TRACE(to_string(kernels));
    set_gpu_kernels(kernels);
    for (const Case& op : cases) {
      Tensor out_cpu = Tensor::empty({kN}, dt, Device::CPU);
      Tensor out_gpu = poisoned_gpu({kN}, dt);
      op.run(cpu_, out_cpu, a, b);
      op.run(*gpu_, out_gpu, a_gpu, b_gpu);
      expect_bitwise_equal(out_cpu, out_gpu, op.name);
    }
  }
}

TEST_P(ElementwiseParity, InPlaceUseMatches) {
  Tensor a = random_host(kN, 3);
  const Tensor b = random_host(kN, 4);
  Tensor a_gpu = to_gpu(a);
  const Tensor b_gpu = to_gpu(b);
  ops::add(cpu_, a, a, b);
  ops::add(*gpu_, a_gpu, a_gpu, b_gpu);
  ops::relu_forward(cpu_, a, a);
  ops::relu_forward(*gpu_, a_gpu, a_gpu);
  expect_bitwise_equal(a, a_gpu, "in-place add + relu");
}

INSTANTIATE_TEST_SUITE_P(Dtypes, ElementwiseParity, ::testing::Values(DType::F32, DType::F16),
                         [](const auto& p) { return std::string(to_string(p.param)); });

class CastParity : public ::testing::TestWithParam<GpuKernels> {
 protected:
  void SetUp() override {
    if (cuda_device_count() == 0) GTEST_SKIP() << "no CUDA device visible: run on the GPU host";
    gpu_ = std::make_unique<DeviceContext>(DeviceContext::cuda(0));
    set_gpu_kernels(GetParam());
  }
  void TearDown() override { set_gpu_kernels(GpuKernels::Simple); }
  std::unique_ptr<DeviceContext> gpu_;
};

TEST_P(CastParity, EveryHalfWidensIdentically) {
  Tensor halves = Tensor::empty({65536}, DType::F16, Device::CPU);
  for (std::uint32_t i = 0; i < 65536; ++i) halves.data<std::uint16_t>()[i] = static_cast<std::uint16_t>(i);
  Tensor halves_gpu = Tensor::empty(halves.shape(), DType::F16, Device::CUDA);
  transfer(*gpu_, halves_gpu, halves);
  Tensor wide_gpu = Tensor::empty(halves.shape(), DType::F32, Device::CUDA);
  ops::cast(*gpu_, wide_gpu, halves_gpu);
  Tensor wide = Tensor::empty(halves.shape(), DType::F32, Device::CPU);
  transfer(*gpu_, wide, wide_gpu);
  gpu_->synchronize();
  for (std::uint32_t i = 0; i < 65536; ++i) {
    const float cpu = half_bits_to_float(static_cast<std::uint16_t>(i));
    const float gpu = wide.data<float>()[i];
    if (std::isnan(cpu)) {
      EXPECT_TRUE(std::isnan(gpu)) << "half 0x" << std::hex << i;
      continue;
    }
    ASSERT_EQ(std::memcmp(&cpu, &gpu, 4), 0) << "half 0x" << std::hex << i;
  }
}

TEST_P(CastParity, FloatsNarrowIdentically) {
  // Random bit patterns cover every exponent, including subnormal results, ties and overflow.
  const std::int64_t n = (1 << 22) + 5;  // and a tail shorter than a vector
  std::mt19937 rng(7);
  Tensor floats = Tensor::empty({n}, DType::F32, Device::CPU);
  for (std::int64_t i = 0; i < n; ++i) {
    std::uint32_t bits = rng();
    if ((bits & 0x7f800000u) == 0x7f800000u) bits &= 0xff7fffffu;  // no inf/NaN inputs
    std::memcpy(&floats.data<float>()[i], &bits, 4);
  }
  Tensor floats_gpu = Tensor::empty(floats.shape(), DType::F32, Device::CUDA);
  transfer(*gpu_, floats_gpu, floats);
  Tensor narrow_gpu = Tensor::empty(floats.shape(), DType::F16, Device::CUDA);
  ops::cast(*gpu_, narrow_gpu, floats_gpu);
  Tensor narrow = Tensor::empty(floats.shape(), DType::F16, Device::CPU);
  transfer(*gpu_, narrow, narrow_gpu);
  gpu_->synchronize();
  for (std::int64_t i = 0; i < n; ++i)
    ASSERT_EQ(narrow.data<std::uint16_t>()[i], float_to_half_bits(floats.data<float>()[i]))
        << "float " << floats.data<float>()[i];
}

INSTANTIATE_TEST_SUITE_P(KernelSets, CastParity, ::testing::Values(GpuKernels::Simple, GpuKernels::Vectorized),
                         [](const auto& p) { return std::string(to_string(p.param)); });

}  // namespace
}  // namespace pose
