// Optimizer: Adam over the network's flat parameter store, with the device-side step state
// (kernels/train_op_signatures.h): loss scale, overflow flag, Adam step count. One call per
// training step, after the gradients have been summed over ranks; nothing waits for the host.
#pragma once

#include "config/config.h"
#include "kernels/train_op_signatures.h"
#include "model/pose_resnet.h"
#include "train/checkpoint.h"

namespace pose {

class Optimizer {
 public:
  // fp16 precision starts the loss scale at train.loss_scale_init and lets it move; fp32 keeps
  // it at 1.
  Optimizer(const PoseResNet& net, const TrainSection& train, int world_size);

  // The loss scale as an f32 {1} device tensor, for the loss gradient.
  TensorView loss_scale() const;
  // Checks the summed gradients for inf/NaN, then updates the weights (unless a rank
  // overflowed: every rank sees the same sums, so every rank skips) and the step state.
  void step(float lr);

  OptimizerState save() const;               // host copy (synchronises)
  void restore(const OptimizerState& state);
  std::array<float, 4> step_state() const;   // host copy (synchronises)

 private:
  const PoseResNet& net_;
  AdamSettings settings_;
  int growth_interval_;
  Tensor m_, v_, state_;
};

}  // namespace pose
