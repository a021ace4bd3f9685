// CPU reference of batch normalisation over N,H,W per channel (f32 NHWC, f32 parameters).
// Per-channel sums run over N*H*W values: they are summed in float over blocks of kBlockRows
// pixels (so that the channel loops are vector-wide) and the blocks' sums in double (so that the
// total stays accurate); per-value arithmetic is in float. This is the reference the GPU's
// reductions are checked against.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels/cpu/batchnorm_masked.h"
#include "kernels/layer_op_signatures.h"

namespace pose::cpu_ops {
namespace {

using Sums = std::vector<double>;
using Floats = std::vector<float>;

constexpr std::int64_t kBlockRows = 16;

// Per-channel sums over all rows (pixels): add_row(r, a, b) adds row r's terms into the float
// partial sums a and b; every kBlockRows rows the partials are added to the totals.
template <typename AddRow>
void sum_rows(std::int64_t rows, std::size_t channels, Sums& total_a, Sums& total_b,
              AddRow add_row) {
  Floats a(channels), b(channels);
  for (std::int64_t r0 = 0; r0 < rows; r0 += kBlockRows) {
    std::fill(a.begin(), a.end(), 0.0f);
    std::fill(b.begin(), b.end(), 0.0f);
    for (std::int64_t r = r0, r1 = std::min(rows, r0 + kBlockRows); r < r1; ++r)
      add_row(r, a.data(), b.data());
    for (std::size_t c = 0; c < channels; ++c) {
      total_a[c] += a[c];
      total_b[c] += b[c];
    }
  }
}

Floats to_floats(const Sums& v) { return Floats(v.begin(), v.end()); }

// y = x * scale[c] + shift[c]: both forwards reduce to this per-channel affine map.
void apply_affine(const TensorView& y, const TensorView& x, const Floats& scale, const Floats& shift) {
  const std::int64_t channels = static_cast<std::int64_t>(scale.size());
  const float* xs = x.as<const float>();
  float* ys = y.as<float>();
  const float* sc = scale.data();
  const float* sh = shift.data();
  for (std::int64_t i = 0, end = x.numel(); i < end; i += channels)
    for (std::int64_t c = 0; c < channels; ++c) ys[i + c] = xs[i + c] * sc[c] + sh[c];
}

}  // namespace

void batchnorm_forward_training(const DeviceContext&, const TensorView& y, const TensorView& x,
                                const TensorView& gamma, const TensorView& beta,
                                const TensorView& running_mean, const TensorView& running_var,
                                const TensorView& save_mean, const TensorView& save_invstd,
                                float momentum, float eps) {
  const std::int64_t channels = gamma.numel();
  const std::int64_t count = x.numel() / channels;
  const auto cs = static_cast<std::size_t>(channels);
  // Two passes (mean, then squared deviations) avoid the cancellation of E[x^2] - E[x]^2.
  const float* xs = x.as<const float>();
  Sums mean(cs, 0.0), sq_dev(cs, 0.0), unused(cs, 0.0);
  sum_rows(count, cs, mean, unused, [&](std::int64_t r, float* a, float*) {
    const float* row = xs + r * channels;
    for (std::size_t c = 0; c < cs; ++c) a[c] += row[c];
  });
  for (double& m : mean) m /= static_cast<double>(count);
  const Floats mean_f = to_floats(mean);
  sum_rows(count, cs, sq_dev, unused, [&](std::int64_t r, float* a, float*) {
    const float* row = xs + r * channels;
    for (std::size_t c = 0; c < cs; ++c) a[c] += (row[c] - mean_f[c]) * (row[c] - mean_f[c]);
  });

  Floats scale(cs), shift(cs);
  for (std::size_t c = 0; c < cs; ++c) {
    const double var = sq_dev[c] / static_cast<double>(count);
    const double invstd = 1.0 / std::sqrt(var + eps);
    scale[c] = static_cast<float>(gamma.as<const float>()[c] * invstd);
    shift[c] = static_cast<float>(beta.as<const float>()[c] - mean[c] * gamma.as<const float>()[c] * invstd);
    save_mean.as<float>()[c] = static_cast<float>(mean[c]);
    save_invstd.as<float>()[c] = static_cast<float>(invstd);
    // PyTorch semantics: the running variance tracks the unbiased estimate.
    const double unbiased = sq_dev[c] / static_cast<double>(count - 1);
    float& rm = running_mean.as<float>()[c];
    float& rv = running_var.as<float>()[c];
    rm = static_cast<float>((1.0 - momentum) * rm + momentum * mean[c]);
    rv = static_cast<float>((1.0 - momentum) * rv + momentum * unbiased);
  }
  apply_affine(y, x, scale, shift);
}

void batchnorm_forward_inference(const DeviceContext&, const TensorView& y, const TensorView& x,
                                 const TensorView& gamma, const TensorView& beta,
                                 const TensorView& running_mean, const TensorView& running_var,
                                 float eps) {
  const auto cs = static_cast<std::size_t>(gamma.numel());
  const float* var = running_var.as<const float>();
  Floats scale(cs), shift(cs);
  for (std::size_t c = 0; c < cs; ++c) {
    const double sc = gamma.as<const float>()[c] / std::sqrt(double{var[c]} + eps);
    scale[c] = static_cast<float>(sc);
    shift[c] = static_cast<float>(beta.as<const float>()[c] - running_mean.as<const float>()[c] * sc);
  }
  apply_affine(y, x, scale, shift);
}

namespace {

// The two instances (with and without the mask) keep the mask test out of the unmasked loops,
// so that both vectorise.
template <bool kMasked>
void backward(const TensorView& dx, const TensorView& dgamma, const TensorView& dbeta,
              const TensorView& dy, const float* relu_out, const TensorView& x,
              const TensorView& gamma, const TensorView& save_mean, const TensorView& save_invstd) {
  const std::int64_t channels = gamma.numel();
  const auto cs = static_cast<std::size_t>(channels);
  const double count = static_cast<double>(x.numel() / channels);
  const float* mean = save_mean.as<const float>();
  const float* invstd = save_invstd.as<const float>();
  const float* xs = x.as<const float>();
  const float* dys = dy.as<const float>();
  // The gradient reaching the BN output: dy, or zero where the ReLU after it was off.
  const auto grad = [&](std::int64_t i) {
    const float g = dys[i];  // loaded either way, so the select vectorises
    if constexpr (kMasked) return relu_out[i] > 0.0f ? g : 0.0f;
    return g;
  };

  // With xhat = (x - mean) * invstd: dbeta = sum dy, dgamma = sum dy * xhat, and
  // dx = gamma * invstd * (dy - dbeta / M - xhat * dgamma / M) over M = N*H*W values.
  const std::int64_t rows = x.numel() / channels;
  Sums sum_dy(cs, 0.0), sum_dy_xhat(cs, 0.0);
  sum_rows(rows, cs, sum_dy, sum_dy_xhat, [&](std::int64_t r, float* a, float* b) {
    const std::int64_t i = r * channels;
    for (std::size_t c = 0; c < cs; ++c) {
      const float xhat = (xs[i + c] - mean[c]) * invstd[c];
      const float g = grad(i + static_cast<std::int64_t>(c));
      a[c] += g;
      b[c] += g * xhat;
    }
  });
  Floats coeff(cs), mean_dy(cs), mean_dy_xhat(cs);
  for (std::size_t c = 0; c < cs; ++c) {
    dbeta.as<float>()[c] = static_cast<float>(sum_dy[c]);
    dgamma.as<float>()[c] = static_cast<float>(sum_dy_xhat[c]);
    coeff[c] = gamma.as<const float>()[c] * invstd[c];
    mean_dy[c] = static_cast<float>(sum_dy[c] / count);
    mean_dy_xhat[c] = static_cast<float>(sum_dy_xhat[c] / count);
  }
  float* dxs = dx.as<float>();
  for (std::int64_t i = 0, end = x.numel(); i < end; i += channels)
    for (std::size_t c = 0; c < cs; ++c) {
      const float xhat = (xs[i + c] - mean[c]) * invstd[c];
      const float g = grad(i + static_cast<std::int64_t>(c));
      dxs[i + c] = coeff[c] * (g - mean_dy[c] - xhat * mean_dy_xhat[c]);
    }
}

}  // namespace

void batchnorm_backward_masked(const TensorView& dx, const TensorView& dgamma,
                               const TensorView& dbeta, const TensorView& dy, const float* relu_out,
                               const TensorView& x, const TensorView& gamma,
                               const TensorView& save_mean, const TensorView& save_invstd) {
  if (relu_out)
    backward<true>(dx, dgamma, dbeta, dy, relu_out, x, gamma, save_mean, save_invstd);
  else
    backward<false>(dx, dgamma, dbeta, dy, nullptr, x, gamma, save_mean, save_invstd);
}

void batchnorm_backward(const DeviceContext&, const TensorView& dx, const TensorView& dgamma,
                        const TensorView& dbeta, const TensorView& dy, const TensorView& x,
                        const TensorView& gamma, const TensorView& save_mean,
                        const TensorView& save_invstd) {
  batchnorm_backward_masked(dx, dgamma, dbeta, dy, nullptr, x, gamma, save_mean, save_invstd);
}

}  // namespace pose::cpu_ops
