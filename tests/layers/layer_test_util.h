// Helpers for the CPU layer-op tests: seeded f32 tensors, the scalar objective used for
// gradient checks, central-difference gradients and a per-element comparison.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace pose::test {

inline Tensor zeros(const Shape& shape) {
  Tensor t = Tensor::empty(shape, DType::F32, Device::CPU);
  for (std::int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = 0.0f;
  return t;
}

// Values in [lo, hi), the same for a given seed.
inline Tensor random_tensor(const Shape& shape, std::uint32_t seed, float lo = -1.0f,
                            float hi = 1.0f) {
  Tensor t = Tensor::empty(shape, DType::F32, Device::CPU);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  for (std::int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = dist(rng);
  return t;
}

inline Tensor tensor_of(const Shape& shape, const std::vector<float>& values) {
  EXPECT_EQ(shape.numel(), static_cast<std::int64_t>(values.size())) << shape.str();
  Tensor t = zeros(shape);
  for (std::size_t i = 0; i < values.size() && i < static_cast<std::size_t>(t.numel()); ++i)
    t.data<float>()[i] = values[i];
  return t;
}

// sum(a * b) in double. With b a fixed random "upstream gradient" g, L = dot(y, g) is a scalar
// whose gradient with respect to y is g, so an op's backward given dy = g must match dL/dinput.
inline double dot(const TensorView& a, const TensorView& b) {
  double sum = 0.0;
  for (std::int64_t i = 0; i < a.numel(); ++i)
    sum += double{a.as<const float>()[i]} * b.as<const float>()[i];
  return sum;
}

// dL/dparam[i] by central differences, where objective() evaluates L from param's current
// values. The divisor is the perturbation actually stored in f32, not the nominal step.
inline std::vector<double> numeric_gradient(const TensorView& param, float step,
                                            const std::function<double()>& objective) {
  std::vector<double> grad(static_cast<std::size_t>(param.numel()));
  float* p = param.as<float>();
  for (std::size_t i = 0; i < grad.size(); ++i) {
    const float original = p[i];
    const float up = original + step, down = original - step;
    p[i] = up;
    const double l_up = objective();
    p[i] = down;
    const double l_down = objective();
    p[i] = original;
    grad[i] = (l_up - l_down) / (double{up} - down);
  }
  return grad;
}

// |analytic - numeric| <= atol + rtol * |numeric| for every element; reports the worst ones.
inline void expect_gradient_near(const TensorView& analytic, const std::vector<double>& numeric,
                                 double atol, double rtol, const std::string& what) {
  ASSERT_EQ(analytic.numel(), static_cast<std::int64_t>(numeric.size())) << what;
  int failures = 0;
  for (std::size_t i = 0; i < numeric.size(); ++i) {
    const double a = analytic.as<const float>()[i];
    if (std::abs(a - numeric[i]) <= atol + rtol * std::abs(numeric[i])) continue;
    if (++failures <= 5)
      ADD_FAILURE() << what << "[" << i << "]: analytic " << a << " vs numeric " << numeric[i];
  }
  EXPECT_EQ(failures, 0) << what << ": " << failures << " of " << numeric.size()
                         << " elements out of tolerance";
}

inline void expect_values_near(const TensorView& actual, const std::vector<float>& expected,
                               float tol, const std::string& what) {
  ASSERT_EQ(actual.numel(), static_cast<std::int64_t>(expected.size())) << what;
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(actual.as<const float>()[i], expected[i], tol) << what << "[" << i << "]";
}

}  // namespace pose::test
