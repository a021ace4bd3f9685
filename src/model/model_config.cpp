#include "model/model_config.h"

#include <string>

namespace pose {

PoseResNetSpec spec_from_config(const Config& config) {
  PoseResNetSpec spec;
  spec.depth = std::stoi(config.model.backbone.substr(std::string("resnet").size()));
  spec.base_width = config.model.base_width;
  spec.input_height = config.data.image_height;
  spec.input_width = config.data.image_width;
  spec.num_joints = config.model.num_joints;
  spec.deconv_filters = config.model.num_deconv_filters;
  spec.deconv_kernels = config.model.num_deconv_kernels;
  spec.final_conv_kernel = config.model.final_conv_kernel;
  spec.deconv_with_bias = config.model.deconv_with_bias;
  spec.validate();
  return spec;
}

}  // namespace pose
