// CPU reference convolution (f32, NHWC, weights {K,R,S,C}) as im2col + OpenBLAS sgemm.
//
// The column matrix has one row per output pixel and R*S*C columns ordered (r, s, c), the same
// order as a weight row, so with NHWC every (pixel, r, s) entry is one contiguous run of C input
// values. Then
//   forward:         y   [P, K]     = col [P, RSC] * w^T
//   backward data:   col [P, RSC]   = dy [P, K] * w [K, RSC], scattered back by col2im (adding)
//   backward filter: dw  [K, RSC]  += dy^T [K, P] * col [P, RSC] over batch chunks
// A 1x1 stride-1 unpadded conv needs no column matrix: x itself is [N*H*W, C].
// Images are processed in chunks whose column matrix stays under kColumnBudget floats.
#include <cblas.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/error.h"
#include "kernels/cpu/conv_impls.h"

namespace pose::cpu_ops::reference {
namespace {

// 32 MiB of column matrix: large enough that sgemm sees big matrices, small enough for laptops.
constexpr std::int64_t kColumnBudget = std::int64_t{8} << 20;

struct ConvShape {
  std::int64_t n, h, w, c;   // input (x or dx)
  std::int64_t k, r, s;      // output channels and kernel size
  std::int64_t ho, wo;       // output (y or dy)
  int stride, pad;

  std::int64_t pixels() const { return ho * wo; }  // output pixels per image
  std::int64_t patch() const { return r * s * c; }  // column-matrix width
  bool is_pointwise() const { return r == 1 && s == 1 && stride == 1 && pad == 0; }
  // Images per chunk so that the column matrix fits the budget (at least one).
  std::int64_t chunk() const {
    const std::int64_t fit = kColumnBudget / std::max<std::int64_t>(1, pixels() * patch());
    return std::max<std::int64_t>(1, std::min(fit, n));
  }
};

ConvShape conv_shape(const TensorView& x, const TensorView& y, const TensorView& w,
                     ConvGeometry g) {
  return {x.shape[0], x.shape[1], x.shape[2], x.shape[3], w.shape[0], w.shape[1], w.shape[2],
          y.shape[1], y.shape[2], g.stride, g.pad};
}

int blas_int(std::int64_t v) {
  POSE_CHECK(v <= INT_MAX, "conv: matrix dimension ", v, " exceeds the BLAS integer range");
  return static_cast<int>(v);
}

// The scratch column matrix; reused across calls so large convs do not fault in fresh pages.
float* column_buffer(std::int64_t floats) {
  thread_local std::vector<float> buffer;
  if (static_cast<std::int64_t>(buffer.size()) < floats)
    buffer.resize(static_cast<std::size_t>(floats));
  return buffer.data();
}

// Input row of an output row and kernel row, or -1 when it falls in the padding.
std::int64_t input_index(std::int64_t out, std::int64_t k, int stride, int pad,
                         std::int64_t size) {
  const std::int64_t in = out * stride - pad + k;
  return in >= 0 && in < size ? in : -1;
}

// col rows for `images` images starting at x (an image-aligned pointer).
void im2col(const ConvShape& cs, const float* x, std::int64_t images, float* col) {
  const std::size_t run = static_cast<std::size_t>(cs.c) * sizeof(float);
  for (std::int64_t n = 0; n < images; ++n) {
    const float* image = x + n * cs.h * cs.w * cs.c;
    for (std::int64_t ho = 0; ho < cs.ho; ++ho)
      for (std::int64_t wo = 0; wo < cs.wo; ++wo)
        for (std::int64_t r = 0; r < cs.r; ++r) {
          const std::int64_t hi = input_index(ho, r, cs.stride, cs.pad, cs.h);
          for (std::int64_t s = 0; s < cs.s; ++s, col += cs.c) {
            const std::int64_t wi = input_index(wo, s, cs.stride, cs.pad, cs.w);
            if (hi < 0 || wi < 0)
              std::memset(col, 0, run);
            else
              std::memcpy(col, image + (hi * cs.w + wi) * cs.c, run);
          }
        }
  }
}

// dx for `images` images (overwritten) from their column-matrix gradient.
void col2im(const ConvShape& cs, const float* col, std::int64_t images, float* dx) {
  std::fill(dx, dx + images * cs.h * cs.w * cs.c, 0.0f);
  for (std::int64_t n = 0; n < images; ++n) {
    float* image = dx + n * cs.h * cs.w * cs.c;
    for (std::int64_t ho = 0; ho < cs.ho; ++ho)
      for (std::int64_t wo = 0; wo < cs.wo; ++wo)
        for (std::int64_t r = 0; r < cs.r; ++r) {
          const std::int64_t hi = input_index(ho, r, cs.stride, cs.pad, cs.h);
          for (std::int64_t s = 0; s < cs.s; ++s, col += cs.c) {
            const std::int64_t wi = input_index(wo, s, cs.stride, cs.pad, cs.w);
            if (hi < 0 || wi < 0) continue;
            float* dst = image + (hi * cs.w + wi) * cs.c;
            for (std::int64_t c = 0; c < cs.c; ++c) dst[c] += col[c];
          }
        }
  }
}

}  // namespace

void conv_forward(const TensorView& y, const TensorView& x,
                  const TensorView& w, ConvGeometry g) {
  const ConvShape cs = conv_shape(x, y, w, g);
  const float* xs = x.as<const float>();
  float* ys = y.as<float>();
  const float* ws = w.as<const float>();
  const int patch = blas_int(cs.patch());
  if (cs.is_pointwise()) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blas_int(cs.n * cs.pixels()),
                blas_int(cs.k), patch, 1.0f, xs, patch, ws, patch, 0.0f, ys, blas_int(cs.k));
    return;
  }
  const std::int64_t chunk = cs.chunk();
  float* col = column_buffer(chunk * cs.pixels() * cs.patch());
  for (std::int64_t n0 = 0; n0 < cs.n; n0 += chunk) {
    const std::int64_t images = std::min(chunk, cs.n - n0);
    im2col(cs, xs + n0 * cs.h * cs.w * cs.c, images, col);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blas_int(images * cs.pixels()),
                blas_int(cs.k), patch, 1.0f, col, patch, ws, patch, 0.0f,
                ys + n0 * cs.pixels() * cs.k, blas_int(cs.k));
  }
}

void conv_backward_data(const TensorView& dx, const TensorView& dy,
                        const TensorView& w, ConvGeometry g) {
  const ConvShape cs = conv_shape(dx, dy, w, g);
  const float* dys = dy.as<const float>();
  float* dxs = dx.as<float>();
  const float* ws = w.as<const float>();
  const int patch = blas_int(cs.patch());
  if (cs.is_pointwise()) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blas_int(cs.n * cs.pixels()), patch,
                blas_int(cs.k), 1.0f, dys, blas_int(cs.k), ws, patch, 0.0f, dxs, patch);
    return;
  }
  const std::int64_t chunk = cs.chunk();
  float* col = column_buffer(chunk * cs.pixels() * cs.patch());
  for (std::int64_t n0 = 0; n0 < cs.n; n0 += chunk) {
    const std::int64_t images = std::min(chunk, cs.n - n0);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blas_int(images * cs.pixels()), patch,
                blas_int(cs.k), 1.0f, dys + n0 * cs.pixels() * cs.k, blas_int(cs.k), ws, patch,
                0.0f, col, patch);
    col2im(cs, col, images, dxs + n0 * cs.h * cs.w * cs.c);
  }
}

void conv_backward_filter(const TensorView& dw, const TensorView& dy,
                          const TensorView& x, ConvGeometry g) {
  const ConvShape cs = conv_shape(x, dy, dw, g);
  const float* dys = dy.as<const float>();
  const float* xs = x.as<const float>();
  float* dws = dw.as<float>();
  const int patch = blas_int(cs.patch());
  // dw is overwritten: zeroed here, then every chunk's product adds to it (an empty batch
  // leaves it zero).
  std::fill(dws, dws + dw.numel(), 0.0f);
  if (cs.is_pointwise()) {
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, blas_int(cs.k), patch,
                blas_int(cs.n * cs.pixels()), 1.0f, dys, blas_int(cs.k), xs, patch, 1.0f, dws,
                patch);
    return;
  }
  const std::int64_t chunk = cs.chunk();
  float* col = column_buffer(chunk * cs.pixels() * cs.patch());
  for (std::int64_t n0 = 0; n0 < cs.n; n0 += chunk) {
    const std::int64_t images = std::min(chunk, cs.n - n0);
    im2col(cs, xs + n0 * cs.h * cs.w * cs.c, images, col);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, blas_int(cs.k), patch,
                blas_int(images * cs.pixels()), 1.0f, dys + n0 * cs.pixels() * cs.k,
                blas_int(cs.k), col, patch, 1.0f, dws, patch);
  }
}

}  // namespace pose::cpu_ops::reference
