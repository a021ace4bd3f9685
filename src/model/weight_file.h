// Weight files (docs/data_format.md, "Weight files"): network tensors stored by their PyTorch
// state-dict names in PyTorch's own layouts, so torchvision backbones convert with a short
// script (preprocess/weights/convert_torchvision.py) and the PyTorch reference of the tests
// uses the same layout. Mapping names onto the network's parameter buffer is the network's job.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/hdf5_file.h"

namespace pose {

inline constexpr const char* kWeightFileFormat = "pose-weights";
inline constexpr std::int64_t kWeightFileVersion = 1;

// One tensor: its state-dict name ("layer1.0.bn1.weight"), its shape in PyTorch's layout
// (conv [K,C,R,S], transposed conv [Cin,Cout,R,S]; {} for a scalar) and its values, row-major.
struct NamedTensor {
  std::string name;
  std::vector<std::int64_t> shape;
  std::vector<float> values;

  std::int64_t numel() const;
};

struct WeightFile {
  std::string source;                // free text: where the weights came from
  std::vector<NamedTensor> params;   // trainable tensors, in the order they were written
  std::vector<NamedTensor> buffers;  // BN running_mean / running_var

  const NamedTensor* find_param(const std::string& name) const;   // nullptr when absent
  const NamedTensor* find_buffer(const std::string& name) const;  // nullptr when absent
};

// Reads /params and /buffers. UserError naming the file (and the dataset) when it cannot be
// read, its `format` or `version` is not ours, or a tensor is not float32.
WeightFile read_weight_file(const std::string& path);

// Every float32 tensor of one group of a weight-format file (for the test reference file's
// extra groups: "grads", "buffers_after"), with read_weight_file's checks.
std::vector<NamedTensor> read_weight_group(const std::string& path, const std::string& group);

// One group of named float32 tensors, as /params and /buffers are written (creation order
// kept), for files that add groups of the same form (a checkpoint's Adam moments).
void write_weight_group(const h5::Handle& file, const std::string& name, const std::vector<NamedTensor>& tensors);

// Writes through a temporary name of this process (io/file.h temporary_path_for) and a rename,
// so `path` is never a half-written file.
// `extra`, when given, adds more to the open file before it is flushed (a checkpoint's
// optimiser state and progress), so the whole file appears at once.
void write_weight_file(const std::string& path, const WeightFile& weights,
                       const std::function<void(const h5::Handle& file)>& extra = {});

}  // namespace pose
