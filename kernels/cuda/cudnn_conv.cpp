// Convolutions through cuDNN's legacy API. Every cuDNN call of the project's convolutions lives
// in this file (DESIGN.md), so the later move to the v9 graph API touches one place.
//
// Tensors are NHWC and filters {K, R, S, C} (CUDNN_TENSOR_NHWC for both). f16 data computes in
// f32 on tensor cores (CUDNN_TENSOR_OP_MATH); f32 data stays f32 (CUDNN_FMA_MATH: on A100 and
// newer, CUDNN_DEFAULT_MATH would let cuDNN round f32 inputs to TF32, about 1e-3 relative).
//
// A plan (descriptors and algorithm) is made once per op, shapes, dtype, geometry and GPU, and
// cached, so repeated calls do no planning. Algorithms come from cuDNN's heuristics
// (cudnnGet*Algorithm_v7), never from timing (cudnnFind*), so every rank with the same GPU and
// cuDNN picks the same one: the first in heuristic order whose workspace fits kWorkspaceLimit,
// taking deterministic algorithms first (backward ones may accumulate with atomics).
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

#include "core/cuda/checks.h"
#include "core/error.h"
#include "kernels/cuda/device_scratch.h"
#include "kernels/layer_op_signatures.h"

namespace pose::cuda_ops {
namespace {

constexpr std::size_t kWorkspaceLimit = std::size_t{512} << 20;

// ---- descriptors --------------------------------------------------------------------------

struct TensorDescDeleter {
  void operator()(cudnnTensorDescriptor_t d) const { cudnnDestroyTensorDescriptor(d); }
};
struct FilterDescDeleter {
  void operator()(cudnnFilterDescriptor_t d) const { cudnnDestroyFilterDescriptor(d); }
};
struct ConvDescDeleter {
  void operator()(cudnnConvolutionDescriptor_t d) const { cudnnDestroyConvolutionDescriptor(d); }
};
using TensorDesc = std::unique_ptr<cudnnTensorStruct, TensorDescDeleter>;
using FilterDesc = std::unique_ptr<cudnnFilterStruct, FilterDescDeleter>;
using ConvDesc = std::unique_ptr<cudnnConvolutionStruct, ConvDescDeleter>;

using Dims = std::array<int, 4>;  // a shape in the order the tensor stores it: NHWC or KRSC

// What a plan depends on. x/y are the conv's input/output shapes (dx/dy for backward data),
// w the filter's.
struct ConvKey {
  int device;
  DType dtype;
  int stride, pad;
  Dims x, w, y;

  bool operator<(const ConvKey& o) const {
    return std::tie(device, dtype, stride, pad, x, w, y) <
           std::tie(o.device, o.dtype, o.stride, o.pad, o.x, o.w, o.y);
  }
};

Dims dims_of(const TensorView& t) {
  // cuDNN's legacy API takes int dimensions; tensors here are far below 2^31 per axis.
  return {static_cast<int>(t.shape[0]), static_cast<int>(t.shape[1]),
          static_cast<int>(t.shape[2]), static_cast<int>(t.shape[3])};
}

ConvKey make_key(const DeviceContext& ctx, const TensorView& x, const TensorView& w,
                 const TensorView& y, ConvGeometry g) {
  return {ctx.device_index(), x.dtype, g.stride, g.pad, dims_of(x), dims_of(w), dims_of(y)};
}

cudnnDataType_t data_type(DType dtype) {
  return dtype == DType::F16 ? CUDNN_DATA_HALF : CUDNN_DATA_FLOAT;
}

TensorDesc make_tensor(const Dims& nhwc, DType dtype) {
  cudnnTensorDescriptor_t raw = nullptr;
  POSE_CUDNN_CHECK(cudnnCreateTensorDescriptor(&raw));
  TensorDesc desc(raw);
  POSE_CUDNN_CHECK(cudnnSetTensor4dDescriptor(raw, CUDNN_TENSOR_NHWC, data_type(dtype), nhwc[0],
                                              nhwc[3], nhwc[1], nhwc[2]));
  return desc;
}

FilterDesc make_filter(const Dims& krsc, DType dtype) {
  cudnnFilterDescriptor_t raw = nullptr;
  POSE_CUDNN_CHECK(cudnnCreateFilterDescriptor(&raw));
  FilterDesc desc(raw);
  POSE_CUDNN_CHECK(cudnnSetFilter4dDescriptor(raw, data_type(dtype), CUDNN_TENSOR_NHWC, krsc[0],
                                              krsc[3], krsc[1], krsc[2]));
  return desc;
}

cudnnMathType_t base_math(DType dtype) {
  return dtype == DType::F16 ? CUDNN_TENSOR_OP_MATH : CUDNN_FMA_MATH;
}

ConvDesc make_conv(const ConvKey& key) {
  cudnnConvolutionDescriptor_t raw = nullptr;
  POSE_CUDNN_CHECK(cudnnCreateConvolutionDescriptor(&raw));
  ConvDesc desc(raw);
  // Cross-correlation: y = sum x * w without flipping w, as in the header and in PyTorch.
  POSE_CUDNN_CHECK(cudnnSetConvolution2dDescriptor(raw, key.pad, key.pad, key.stride, key.stride,
                                                   1, 1, CUDNN_CROSS_CORRELATION,
                                                   CUDNN_DATA_FLOAT));
  POSE_CUDNN_CHECK(cudnnSetConvolutionMathType(raw, base_math(key.dtype)));
  return desc;
}

struct Descriptors {
  TensorDesc x, y;
  FilterDesc w;
  ConvDesc conv;
};

// ---- the three ops as traits over cuDNN's parallel function families -----------------------

struct Forward {
  using Algo = cudnnConvolutionFwdAlgo_t;
  using Perf = cudnnConvolutionFwdAlgoPerf_t;
  static constexpr int kAlgoCount = CUDNN_CONVOLUTION_FWD_ALGO_COUNT;
  static constexpr const char* kName = "conv_forward";
  static void heuristics(cudnnHandle_t h, const Descriptors& d, Perf* perf, int* returned) {
    POSE_CUDNN_CHECK(cudnnGetConvolutionForwardAlgorithm_v7(
        h, d.x.get(), d.w.get(), d.conv.get(), d.y.get(), kAlgoCount, returned, perf));
  }
  static cudnnStatus_t workspace(cudnnHandle_t h, const Descriptors& d, Algo algo,
                                 std::size_t* bytes) {
    return cudnnGetConvolutionForwardWorkspaceSize(h, d.x.get(), d.w.get(), d.conv.get(),
                                                   d.y.get(), algo, bytes);
  }
};

struct BackwardData {
  using Algo = cudnnConvolutionBwdDataAlgo_t;
  using Perf = cudnnConvolutionBwdDataAlgoPerf_t;
  static constexpr int kAlgoCount = CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT;
  static constexpr const char* kName = "conv_backward_data";
  static void heuristics(cudnnHandle_t h, const Descriptors& d, Perf* perf, int* returned) {
    POSE_CUDNN_CHECK(cudnnGetConvolutionBackwardDataAlgorithm_v7(
        h, d.w.get(), d.y.get(), d.conv.get(), d.x.get(), kAlgoCount, returned, perf));
  }
  static cudnnStatus_t workspace(cudnnHandle_t h, const Descriptors& d, Algo algo,
                                 std::size_t* bytes) {
    return cudnnGetConvolutionBackwardDataWorkspaceSize(h, d.w.get(), d.y.get(), d.conv.get(),
                                                        d.x.get(), algo, bytes);
  }
};

struct BackwardFilter {
  using Algo = cudnnConvolutionBwdFilterAlgo_t;
  using Perf = cudnnConvolutionBwdFilterAlgoPerf_t;
  static constexpr int kAlgoCount = CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT;
  static constexpr const char* kName = "conv_backward_filter";
  static void heuristics(cudnnHandle_t h, const Descriptors& d, Perf* perf, int* returned) {
    POSE_CUDNN_CHECK(cudnnGetConvolutionBackwardFilterAlgorithm_v7(
        h, d.x.get(), d.y.get(), d.conv.get(), d.w.get(), kAlgoCount, returned, perf));
  }
  static cudnnStatus_t workspace(cudnnHandle_t h, const Descriptors& d, Algo algo,
                                 std::size_t* bytes) {
    return cudnnGetConvolutionBackwardFilterWorkspaceSize(h, d.x.get(), d.y.get(), d.conv.get(),
                                                          d.w.get(), algo, bytes);
  }
};

// ---- planning -----------------------------------------------------------------------------

template <typename Op>
struct Plan {
  Descriptors d;
  typename Op::Algo algo{};
  std::size_t workspace_bytes = 0;
};

std::string describe(const ConvKey& k) {
  const auto str = [](const Dims& d) {
    return cat("[", d[0], ", ", d[1], ", ", d[2], ", ", d[3], "]");
  };
  return cat(to_string(k.dtype), " x ", str(k.x), " w ", str(k.w), " y ", str(k.y), " stride ",
             k.stride, " pad ", k.pad);
}

template <typename Op>
Plan<Op> make_plan(const DeviceContext& ctx, const ConvKey& key) {
  Plan<Op> plan;
  plan.d.x = make_tensor(key.x, key.dtype);
  plan.d.y = make_tensor(key.y, key.dtype);
  plan.d.w = make_filter(key.w, key.dtype);
  plan.d.conv = make_conv(key);

  std::array<typename Op::Perf, Op::kAlgoCount> perf{};
  int returned = 0;
  Op::heuristics(ctx.cudnn(), plan.d, perf.data(), &returned);
  for (const bool deterministic_only : {true, false}) {
    for (int i = 0; i < returned; ++i) {
      const typename Op::Perf& p = perf[static_cast<std::size_t>(i)];
      if (p.status != CUDNN_STATUS_SUCCESS) continue;
      if (deterministic_only && p.determinism != CUDNN_DETERMINISTIC) continue;
      // An f16 algorithm runs in the math mode cuDNN rated it with (tensor ops or not); f32
      // stays on FMA math whatever the rating, so it never silently becomes TF32.
      if (key.dtype == DType::F16)
        POSE_CUDNN_CHECK(cudnnSetConvolutionMathType(plan.d.conv.get(), p.mathType));
      std::size_t bytes = 0;
      if (Op::workspace(ctx.cudnn(), plan.d, p.algo, &bytes) != CUDNN_STATUS_SUCCESS ||
          bytes > kWorkspaceLimit)
        continue;
      plan.algo = p.algo;
      plan.workspace_bytes = bytes;
      return plan;
    }
  }
  throw Error(cat(Op::kName, ": cuDNN offers no algorithm with at most ", kWorkspaceLimit >> 20,
                  " MiB of workspace for ", describe(key)));
}

// The cached plan for key; planned on first use. Plans are never evicted, so the reference stays
// valid after the lock is released.
template <typename Op>
const Plan<Op>& plan_for(const DeviceContext& ctx, const ConvKey& key) {
  static std::mutex mutex;
  static std::map<ConvKey, Plan<Op>> plans;
  const std::lock_guard<std::mutex> lock(mutex);
  auto it = plans.find(key);
  if (it == plans.end()) it = plans.emplace(key, make_plan<Op>(ctx, key)).first;
  return it->second;
}

// Binds the handle to ctx's stream and returns the plan's workspace.
template <typename Op>
void* prepare(const DeviceContext& ctx, const Plan<Op>& plan) {
  POSE_CUDNN_CHECK(cudnnSetStream(ctx.cudnn(), ctx.stream()));
  return device_scratch(ctx, plan.workspace_bytes);
}

// Every op overwrites its output: y = 1 * op(...) + 0 * y.
const float kOne = 1.0f;
const float kZero = 0.0f;

}  // namespace

void conv_forward(const DeviceContext& ctx, const TensorView& y, const TensorView& x,
                  const TensorView& w, ConvGeometry g) {
  const Plan<Forward>& plan = plan_for<Forward>(ctx, make_key(ctx, x, w, y, g));
  void* workspace = prepare(ctx, plan);
  POSE_CUDNN_CHECK(cudnnConvolutionForward(ctx.cudnn(), &kOne, plan.d.x.get(), x.data,
                                           plan.d.w.get(), w.data, plan.d.conv.get(), plan.algo,
                                           workspace, plan.workspace_bytes, &kZero,
                                           plan.d.y.get(), y.data));
}

void conv_backward_data(const DeviceContext& ctx, const TensorView& dx, const TensorView& dy,
                        const TensorView& w, ConvGeometry g) {
  const Plan<BackwardData>& plan = plan_for<BackwardData>(ctx, make_key(ctx, dx, w, dy, g));
  void* workspace = prepare(ctx, plan);
  POSE_CUDNN_CHECK(cudnnConvolutionBackwardData(ctx.cudnn(), &kOne, plan.d.w.get(), w.data,
                                                plan.d.y.get(), dy.data, plan.d.conv.get(),
                                                plan.algo, workspace, plan.workspace_bytes,
                                                &kZero, plan.d.x.get(), dx.data));
}

void conv_backward_filter(const DeviceContext& ctx, const TensorView& dw, const TensorView& dy,
                          const TensorView& x, ConvGeometry g) {
  const Plan<BackwardFilter>& plan = plan_for<BackwardFilter>(ctx, make_key(ctx, x, dw, dy, g));
  void* workspace = prepare(ctx, plan);
  POSE_CUDNN_CHECK(cudnnConvolutionBackwardFilter(ctx.cudnn(), &kOne, plan.d.x.get(), x.data,
                                                  plan.d.y.get(), dy.data, plan.d.conv.get(),
                                                  plan.algo, workspace, plan.workspace_bytes,
                                                  &kZero, plan.d.w.get(), dw.data));
}

}  // namespace pose::cuda_ops
