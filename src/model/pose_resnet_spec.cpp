#include "model/pose_resnet_spec.h"

#include "core/error.h"

namespace pose {

std::vector<int> PoseResNetSpec::blocks_per_stage() const {
  switch (depth) {
    case 18: return {2, 2, 2, 2};
    case 34: return {3, 4, 6, 3};
    case 50: return {3, 4, 6, 3};
    case 101: return {3, 4, 23, 3};
    case 152: return {3, 8, 36, 3};
    default: throw UserError(cat("model: ResNet depth ", depth, " is not one of 18, 34, 50, 101, 152"));
  }
}

int PoseResNetSpec::heatmap_height() const {
  return input_height / 32 << deconv_filters.size();
}

int PoseResNetSpec::heatmap_width() const {
  return input_width / 32 << deconv_filters.size();
}

DeconvPadding deconv_padding(int kernel) {
  switch (kernel) {
    case 4: return {1, 0};
    case 3: return {1, 1};
    case 2: return {0, 0};
    default: throw UserError(cat("model.num_deconv_kernels: kernel ", kernel, " is not one of 2, 3, 4"));
  }
}

void PoseResNetSpec::validate() const {
  blocks_per_stage();
  if (base_width < 1 || base_width > 1024)
    throw UserError(cat("model.base_width ", base_width, " is outside [1, 1024]"));
  if (input_height <= 0 || input_width <= 0 || input_height % 32 || input_width % 32)
    throw UserError(cat("input size ", input_height, "x", input_width,
                        " (height x width) must be positive multiples of 32 (the backbone's stride)"));
  if (deconv_filters.size() != deconv_kernels.size())
    throw UserError(cat("model.num_deconv_filters has ", deconv_filters.size(),
                        " entries but model.num_deconv_kernels has ", deconv_kernels.size()));
  for (int k : deconv_kernels) deconv_padding(k);
  for (int f : deconv_filters)
    if (f < 1) throw UserError(cat("model.num_deconv_filters: ", f, " is not a positive channel count"));
  if (final_conv_kernel != 1 && final_conv_kernel != 3)
    throw UserError(cat("model.final_conv_kernel ", final_conv_kernel, " is not 1 or 3"));
  if (num_joints < 1) throw UserError(cat("model.num_joints ", num_joints, " must be positive"));
}

std::string PoseResNetSpec::str() const {
  std::string filters, kernels;
  for (std::size_t i = 0; i < deconv_filters.size(); ++i) {
    filters += (i ? "," : "") + std::to_string(deconv_filters[i]);
    kernels += (i ? "," : "") + std::to_string(deconv_kernels[i]);
  }
  return cat("ResNet-", depth, " (width ", base_width, "), ", input_height, "x", input_width,
             " input, deconv ", filters, " k", kernels, " -> ", num_joints, " joints at ", heatmap_height(),
             "x", heatmap_width());
}

}  // namespace pose
