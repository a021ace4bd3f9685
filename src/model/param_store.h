// ParamStore: every tensor of one kind (trainable parameters, or BN running statistics) in one
// flat f32 buffer, so an all-reduce, the optimizer and a checkpoint each see one array.
//
// Registration happens while the network is built (add), then allocate() makes the buffers:
//   master    f32, every tensor                       (what the optimizer updates)
//   grad      f32, every tensor                       (what the all-reduce and optimizer read)
//   compute   weights in the compute dtype when it is not f32 (f16 conv weights on the GPU);
//             a conv layer reads weight() and writes weight_grad() in that dtype, and
//             finish_grad() widens it into grad.
// Vectors (BN scale/shift, biases) are always f32: layers read and write master/grad directly.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/buffer.h"
#include "core/device_context.h"
#include "core/tensor.h"

namespace pose {

// How a tensor maps onto PyTorch's layout (model/torch_layout.h).
enum class ParamKind {
  ConvWeight,    // ours {K,R,S,C}, PyTorch Conv2d [K,C,R,S]
  DeconvWeight,  // ours {Cin,R,S,Cout}, PyTorch ConvTranspose2d [Cin,Cout,R,S]
  Vector,        // {C} both
};

struct ParamInfo {
  std::string name;  // the PyTorch state-dict key, e.g. "layer1.0.conv1.weight"
  ParamKind kind;
  Shape shape;  // ours
  std::size_t offset = 0;          // elements into master/grad
  std::size_t compute_offset = 0;  // elements into the compute copy (weights only)
};

class ParamStore {
 public:
  using Id = std::size_t;

  Id add(const std::string& name, ParamKind kind, const Shape& shape);
  // Makes the buffers on ctx's device, all zero (alignment gaps included, so flat operations
  // over all_master/all_grad see no garbage). `compute_dtype` f16 keeps a half copy of the
  // weights; `with_grads` false for statistics.
  void allocate(const DeviceContext& ctx, DType compute_dtype, bool with_grads);

  const std::vector<ParamInfo>& infos() const { return infos_; }
  const ParamInfo& info(Id id) const { return infos_[id]; }
  std::size_t numel() const { return numel_; }
  Device device() const { return device_; }

  TensorView master(Id id) const;
  TensorView grad(Id id) const;
  TensorView weight(Id id) const;       // what a layer computes with
  TensorView weight_grad(Id id) const;  // where a layer writes that tensor's gradient
  TensorView all_master() const;        // f32 {numel}
  TensorView all_grad() const;

  // grad(id) = weight_grad(id) widened, when they differ (no-op otherwise).
  void finish_grad(const DeviceContext& ctx, Id id) const;
  // The compute copy from master (after an optimizer step or loading weights).
  void refresh_compute(const DeviceContext& ctx) const;

 private:
  bool has_compute_copy(Id id) const;
  TensorView slice(const Buffer& buffer, DType dtype, std::size_t offset, const Shape& shape) const;

  std::vector<ParamInfo> infos_;
  std::size_t numel_ = 0, compute_numel_ = 0;
  Device device_ = Device::CPU;
  DType compute_dtype_ = DType::F32;
  bool allocated_ = false;
  Buffer master_, grad_, compute_, compute_grad_;
};

}  // namespace pose
