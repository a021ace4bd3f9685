// PoseResNet (SimpleBaseline): a ResNet backbone without its classifier, a head of transposed
// convolutions (each + BN + ReLU), and a final conv with bias giving one heatmap per joint.
//
// The network owns its memory, planned once for one batch size: trainable parameters and BN
// statistics in flat stores (model/param_store.h), activations and their gradients in two
// arenas (model/arena.h). Activations are f32 on the CPU and f16 on the GPU.
//
// Use: write the input (NHWC, already normalised) into input(), forward(); for training
// write dLoss/dheatmaps into heatmaps_grad() and call backward(), which overwrites every
// parameter gradient in params().all_grad(). Parameter names are PyTorch's (pose_resnet.py).
// Parameters lie in the flat buffers in forward order, so backward completes the gradients
// from the end of the buffer towards its start; backward's callback says when everything from
// an offset on is final (queued on the stream), so a gradient all-reduce can start early.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "core/device_context.h"
#include "model/conv_bn.h"
#include "model/final_conv.h"
#include "model/max_pool.h"
#include "model/pose_resnet_spec.h"
#include "model/residual_block.h"

namespace pose {

class PoseResNet {
 public:
  // Builds and allocates on ctx's device; every parameter and statistic starts at zero (see
  // model/weights.h for initialisation and loading). `ctx` must outlive the network.
  // `trainable` false makes an inference-only network: no gradient memory, no backward().
  PoseResNet(const PoseResNetSpec& spec, const DeviceContext& ctx, int batch, bool trainable = true);

  const PoseResNetSpec& spec() const { return spec_; }
  int batch() const { return batch_; }
  DType act_dtype() const { return act_dtype_; }
  const DeviceContext& context() const { return ctx_; }

  TensorView input() const;          // {N, H, W, C}
  // input() = images (f32 NHWC of input's shape, on the host or the device), widened to the
  // network's dtype on its device; asynchronous on the stream for page-locked or device memory.
  void load_input(const TensorView& images) const;
  TensorView heatmaps() const;       // {N, h, w, joints}
  TensorView heatmaps_grad() const;  // same shape

  void forward(bool training) const;
  // on_ready(offset): every gradient element at index >= offset is final. Called after the
  // head's layers and after each residual block; the last call has offset 0.
  void backward(const std::function<void(std::size_t offset)>& on_ready = {}) const;

  const ParamStore& params() const { return params_; }
  const ParamStore& stats() const { return stats_; }
  std::size_t activation_bytes() const { return acts_.bytes() + grads_.bytes(); }

 private:
  RunContext run_context(bool training) const;

  PoseResNetSpec spec_;
  const DeviceContext& ctx_;
  int batch_;
  bool trainable_;
  DType act_dtype_;
  ParamStore params_, stats_;
  Arena acts_, grads_;
  Value input_;
  Tensor input_f32_;  // staging for load_input when activations are f16
  std::unique_ptr<ConvBn> stem_;
  std::unique_ptr<MaxPool> pool_;
  std::vector<ResidualBlock> blocks_;
  std::vector<ConvBn> head_;
  std::unique_ptr<FinalConv> final_;
};

}  // namespace pose
