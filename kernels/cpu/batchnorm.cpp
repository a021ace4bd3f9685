// CPU reference of batch normalisation over N,H,W per channel (f32 NHWC, f32 parameters).
// Per-channel sums are accumulated in double: they run over N*H*W values, and this is the
// reference the GPU's reductions are checked against.
#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels/layer_op_signatures.h"

namespace pose::cpu_ops {
namespace {

using Sums = std::vector<double>;

// y = x * scale[c] + shift[c]: both forwards reduce to this per-channel affine map.
void apply_affine(const TensorView& y, const TensorView& x, const Sums& scale, const Sums& shift) {
  const std::int64_t channels = static_cast<std::int64_t>(scale.size());
  const float* xs = x.as<const float>();
  float* ys = y.as<float>();
  for (std::int64_t i = 0; i < x.numel(); i += channels)
    for (std::int64_t c = 0; c < channels; ++c)
      ys[i + c] = static_cast<float>(xs[i + c] * scale[c] + shift[c]);
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
  Sums mean(cs, 0.0), sq_dev(cs, 0.0);
  for (std::int64_t i = 0; i < x.numel(); i += channels)
    for (std::size_t c = 0; c < cs; ++c) mean[c] += xs[i + c];
  for (double& m : mean) m /= static_cast<double>(count);
  for (std::int64_t i = 0; i < x.numel(); i += channels)
    for (std::size_t c = 0; c < cs; ++c) sq_dev[c] += (xs[i + c] - mean[c]) * (xs[i + c] - mean[c]);

  Sums scale(cs), shift(cs);
  for (std::size_t c = 0; c < cs; ++c) {
    const double var = sq_dev[c] / static_cast<double>(count);
    const double invstd = 1.0 / std::sqrt(var + eps);
    scale[c] = gamma.as<const float>()[c] * invstd;
    shift[c] = beta.as<const float>()[c] - mean[c] * scale[c];
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
  Sums scale(cs), shift(cs);
  for (std::size_t c = 0; c < cs; ++c) {
    scale[c] = gamma.as<const float>()[c] / std::sqrt(double{var[c]} + eps);
    shift[c] = beta.as<const float>()[c] - running_mean.as<const float>()[c] * scale[c];
  }
  apply_affine(y, x, scale, shift);
}

void batchnorm_backward(const DeviceContext&, const TensorView& dx, const TensorView& dgamma,
                        const TensorView& dbeta, const TensorView& dy, const TensorView& x,
                        const TensorView& gamma, const TensorView& save_mean,
                        const TensorView& save_invstd) {
  const std::int64_t channels = gamma.numel();
  const auto cs = static_cast<std::size_t>(channels);
  const double count = static_cast<double>(x.numel() / channels);
  const float* mean = save_mean.as<const float>();
  const float* invstd = save_invstd.as<const float>();
  const float* xs = x.as<const float>();
  const float* dys = dy.as<const float>();

  // With xhat = (x - mean) * invstd: dbeta = sum dy, dgamma = sum dy * xhat, and
  // dx = gamma * invstd * (dy - dbeta / M - xhat * dgamma / M) over M = N*H*W values.
  Sums sum_dy(cs, 0.0), sum_dy_xhat(cs, 0.0);
  for (std::int64_t i = 0; i < x.numel(); i += channels)
    for (std::size_t c = 0; c < cs; ++c) {
      const double xhat = (double{xs[i + c]} - mean[c]) * invstd[c];
      sum_dy[c] += dys[i + c];
      sum_dy_xhat[c] += dys[i + c] * xhat;
    }
  Sums coeff(cs);
  for (std::size_t c = 0; c < cs; ++c) {
    dbeta.as<float>()[c] = static_cast<float>(sum_dy[c]);
    dgamma.as<float>()[c] = static_cast<float>(sum_dy_xhat[c]);
    coeff[c] = double{gamma.as<const float>()[c]} * invstd[c];
  }
  float* dxs = dx.as<float>();
  for (std::int64_t i = 0; i < x.numel(); i += channels)
    for (std::size_t c = 0; c < cs; ++c) {
      const double xhat = (double{xs[i + c]} - mean[c]) * invstd[c];
      dxs[i + c] = static_cast<float>(
          coeff[c] * (dys[i + c] - sum_dy[c] / count - xhat * sum_dy_xhat[c] / count));
    }
}

}  // namespace pose::cpu_ops
