// What the network's building blocks share: while building, the stores and arenas they
// reserve their tensors in; while running, the device context and the allocated memory.
//
// Every activation is a Value: its tensor and the tensor of its gradient, each a slot in its
// own arena. A block's backward reads its output's gradient and overwrites its input's.
#pragma once

#include "core/device_context.h"
#include "model/arena.h"
#include "model/param_store.h"

namespace pose {

struct Value {
  Arena::Slot act = 0;
  Arena::Slot grad = 0;
  Shape shape;  // NHWC
};

struct BuildContext {
  ParamStore& params;
  ParamStore& stats;  // BN running statistics
  Arena& acts;
  Arena& grads;
  DType act_dtype;  // f32 on the CPU, f16 on the GPU

  // A new activation of `shape` with its gradient.
  Value value(const Shape& shape) {
    return Value{acts.reserve(shape, act_dtype), grads.reserve(shape, act_dtype), shape};
  }
};

struct RunContext {
  const DeviceContext& device;
  const ParamStore& params;
  const ParamStore& stats;
  const Arena& acts;
  const Arena& grads;
  bool training;

  TensorView act(const Value& v) const { return acts.view(v.act); }
  TensorView grad(const Value& v) const { return grads.view(v.grad); }
};

}  // namespace pose
