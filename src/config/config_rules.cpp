// Rules between keys: a value can be in range on its own and still contradict another key.
#include "config/config_schema.h"
#include "core/error.h"

namespace pose::config_schema {
namespace {

[[noreturn]] void fail(const std::string& message) { throw UserError("config error: " + message); }

// The backbone divides the input by 32; each transposed convolution doubles the size.
void heatmap_matches_network(const Config& config, const DescribeKey& describe) {
  struct Side {
    const char* heatmap_key;
    const char* image_key;
    int heatmap;
    int image;
  };
  const int growth = 1 << config.model.num_deconv_layers;
  for (const Side& side : {Side{"data.heatmap_width", "data.image_width", config.data.heatmap_width,
                                config.data.image_width},
                           Side{"data.heatmap_height", "data.image_height",
                                config.data.heatmap_height, config.data.image_height}}) {
    const int expected = side.image / 32 * growth;
    if (side.heatmap != expected)
      fail(cat(describe(side.heatmap_key), " is not the network's output size ", side.image_key,
               " / 32 * 2^model.num_deconv_layers, with ", describe(side.image_key), " and ",
               describe("model.num_deconv_layers"), "; accepted: ", expected));
  }
}

void deconv_lists_match_layers(const Config& config, const DescribeKey& describe) {
  const std::size_t layers = static_cast<std::size_t>(config.model.num_deconv_layers);
  for (const auto& [key, list] :
       {std::pair{"model.num_deconv_filters", &config.model.num_deconv_filters},
        std::pair{"model.num_deconv_kernels", &config.model.num_deconv_kernels}}) {
    if (list->size() != layers)
      fail(cat(describe(key), " has ", list->size(), " entries but ",
               describe("model.num_deconv_layers"), "; accepted: exactly ", layers, " entries"));
  }
}

void lr_steps_within_epochs(const Config& config, const DescribeKey& describe) {
  for (int step : config.train.lr_steps)
    if (step >= config.train.epochs)
      fail(cat(describe("train.lr_steps"), " has step ", step, ", not below ",
               describe("train.epochs"), "; accepted: steps in [1, ", config.train.epochs - 1,
               "]"));
}

void detector_boxes_given(const Config& config, const DescribeKey& describe) {
  if (!config.test.use_gt_bbox && config.test.bbox_file.empty())
    fail(cat(describe("test.bbox_file"), " is empty while ", describe("test.use_gt_bbox"),
             " asks for detector boxes; accepted: a detector boxes file, or "
             "test.use_gt_bbox = true"));
}

void cpu_runs_fp32(const Config& config, const DescribeKey& describe) {
  if (config.run.device == "cpu" && config.train.precision == "fp16")
    fail(cat(describe("train.precision"), " needs CUDA but ", describe("run.device"),
             "; accepted: train.precision = fp32 on the CPU"));
}

void cpu_reduces_with_mpi(const Config& config, const DescribeKey& describe) {
  if (config.run.device == "cpu" && config.run.comm == "nccl")
    fail(cat(describe("run.comm"), " needs CUDA but ", describe("run.device"),
             "; accepted: run.comm = mpi on the CPU"));
}

}  // namespace

const std::vector<CrossKeyRule>& cross_key_rules() {
  static const std::vector<CrossKeyRule> rules = {
      {"data.heatmap_width/height = data.image_width/height / 32 * 2^model.num_deconv_layers",
       heatmap_matches_network},
      {"model.num_deconv_filters and model.num_deconv_kernels have model.num_deconv_layers "
       "entries each",
       deconv_lists_match_layers},
      {"every entry of train.lr_steps is below train.epochs", lr_steps_within_epochs},
      {"test.bbox_file is set unless test.use_gt_bbox is true", detector_boxes_given},
      {"run.device = cpu needs train.precision = fp32", cpu_runs_fp32},
      {"run.device = cpu needs run.comm = mpi", cpu_reduces_with_mpi},
  };
  return rules;
}

}  // namespace pose::config_schema
