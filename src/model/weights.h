// Setting a PoseResNet's parameters and BN statistics: the reference initialisation, and
// loading from / saving to weight files (model/weight_file.h) by PyTorch name.
#pragma once

#include <cstdint>

#include "model/pose_resnet.h"
#include "model/weight_file.h"

namespace pose {

// The reference initialisation (docs/reference_behaviour.md section 5): backbone convs normal with
// torchvision's std sqrt(2 / fan_out); deconv and final conv weights normal std 0.001; biases 0;
// BN scale 1, shift 0, running mean 0, running variance 1. Deterministic for a seed.
void init_weights(const PoseResNet& net, std::uint64_t seed);

// Which tensors a weight file must supply.
enum class LoadMode {
  Whole,     // every parameter and statistic (a checkpoint or exported model); extras are errors
  Backbone,  // a pretrained backbone: conv1/bn1/layer* must all be present; the head keeps its
             // values; tensors the network lacks (fc.*) are ignored
};

// Copies the file's tensors into the network. UserError naming the tensor when one is missing,
// unexpected (Whole) or of the wrong shape. Returns how many tensors were loaded.
std::size_t load_weights(const PoseResNet& net, const WeightFile& file, LoadMode mode);

// `to` takes `from`'s parameters and statistics (same spec and device; any batch sizes).
void copy_weights(const PoseResNet& from, const PoseResNet& to);

// Every parameter and statistic of the network, in PyTorch layouts.
WeightFile export_weights(const PoseResNet& net, const std::string& source);

// A flat host copy of a store-shaped buffer (our layout, store.numel() floats, e.g. Adam's
// moments) as named tensors in PyTorch layouts, and back. from_named_tensors needs every
// tensor of the store with its shape; UserError naming the tensor and `what` otherwise.
std::vector<NamedTensor> to_named_tensors(const ParamStore& store, const std::vector<float>& flat);
std::vector<float> from_named_tensors(const ParamStore& store, const std::vector<NamedTensor>& tensors,
                                      const std::string& what);

}  // namespace pose
