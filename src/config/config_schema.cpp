// The table of every configuration key. Defaults are the seed's values (docs/reference_behaviour.md sections 2-6).
// Defaults are written in the form format_value prints them, so --help and the effective
// config show the same text (a unit test holds this).
#include "config/config_schema.h"

#include <algorithm>

namespace pose::config_schema {
namespace {

// A key's section, name and Config member.
struct Place {
  const char* section;
  const char* name;
  FieldRef (*field)(Config&);
};

// KEY(run, seed) is key "run.seed" stored in config.run.seed: the key's name is the member's
// name, so the two cannot drift apart.
#define KEY(section_, member_) \
  Place { #section_, #member_, [](Config& c) -> FieldRef { return &c.section_.member_; } }

KeySpec make(Place place, ValueType type, const char* default_text, const char* meaning) {
  KeySpec spec;
  spec.section = place.section;
  spec.name = place.name;
  spec.type = type;
  spec.default_text = default_text;
  spec.meaning = meaning;
  spec.field = place.field;
  return spec;
}

Bounds closed(double low, double high) { return {low, high, false, false}; }
Bounds open_closed(double low, double high) { return {low, high, true, false}; }
Bounds closed_open(double low, double high) { return {low, high, false, true}; }

KeySpec integer(Place place, const char* def, Bounds bounds, const char* meaning,
                int multiple_of = 1) {
  KeySpec spec = make(place, ValueType::Int, def, meaning);
  spec.bounds = bounds;
  spec.multiple_of = multiple_of;
  return spec;
}

KeySpec integer_of(Place place, const char* def, std::vector<std::string> allowed,
                   const char* meaning) {
  KeySpec spec = make(place, ValueType::Int, def, meaning);
  spec.choices = std::move(allowed);
  return spec;
}

KeySpec number(Place place, const char* def, Bounds bounds, const char* meaning) {
  KeySpec spec = make(place, ValueType::Double, def, meaning);
  spec.bounds = bounds;
  return spec;
}

KeySpec boolean(Place place, const char* def, const char* meaning) {
  return make(place, ValueType::Bool, def, meaning);
}

KeySpec text(Place place, const char* def, const char* meaning) {
  return make(place, ValueType::Text, def, meaning);
}

KeySpec nonempty_text(Place place, const char* def, const char* meaning) {
  KeySpec spec = make(place, ValueType::Text, def, meaning);
  spec.allow_empty = false;
  return spec;
}

KeySpec choice(Place place, const char* def, std::vector<std::string> choices,
               const char* meaning) {
  KeySpec spec = make(place, ValueType::Choice, def, meaning);
  spec.choices = std::move(choices);
  return spec;
}

KeySpec int_list(Place place, const char* def, Bounds each, const char* meaning,
                 bool strictly_increasing = false) {
  KeySpec spec = make(place, ValueType::IntList, def, meaning);
  spec.bounds = each;
  spec.strictly_increasing = strictly_increasing;
  return spec;
}

KeySpec int_list_of(Place place, const char* def, std::vector<std::string> allowed,
                    const char* meaning) {
  KeySpec spec = make(place, ValueType::IntList, def, meaning);
  spec.choices = std::move(allowed);
  return spec;
}

std::vector<KeySpec> build_schema() {
  constexpr double kMaxInt = 2147483647;
  return {
      // [run]
      nonempty_text(KEY(run, name), "res50_256x192_adam_lr1e-3",
                    "Name of the run; its files go to <output_dir>/<name>."),
      nonempty_text(KEY(run, output_dir), "runs",
                    "Folder holding one sub-folder per run (checkpoints, logs, results)."),
      integer(KEY(run, seed), "1", closed(0, kMaxInt),
              "Seed of shuffling, augmentation and weight initialisation."),
      choice(KEY(run, device), "auto", {"auto", "cpu", "cuda"},
             "Compute backend; auto takes CUDA when a GPU is visible, else the CPU."),
      choice(KEY(run, comm), "nccl", {"nccl", "mpi"},
             "Gradient all-reduce between ranks: NCCL on GPUs, or host-staged MPI (CPU "
             "backend, or ranks sharing a GPU)."),
      integer(KEY(run, comm_timeout), "600", closed(10, 86400),
              "Seconds one gradient sum (NCCL or MPI), or another collective of the training "
              "loop, may take; past it (a rank died or froze, the network failed) every rank is "
              "stopped with a message instead of hanging."),
      boolean(KEY(run, comm_single_rank), "false",
              "Run the gradient all-reduce even when the job has one rank (a sum over one "
              "rank changes nothing): tests the NCCL or MPI path and its watchdog on one GPU."),
      choice(KEY(run, gpu_kernels), "auto", {"auto", "simple", "vectorized", "fused"},
             "Kernels of the memory-bound ops: simple (one element per thread), vectorized "
             "(16-byte loads and stores), or fused (vectorized, with BN + ReLU and add + ReLU in "
             "one pass each); auto: fused on the CPU, simple on a GPU. The CPU backend computes "
             "the same either way; fused saves it passes over the activations."),
      choice(KEY(run, cpu_conv), "auto", {"auto", "onednn", "reference"},
             "CPU convolutions: onednn (oneDNN's primitives, several times faster), reference "
             "(im2col + OpenBLAS, the plain path the gradient checks use), or auto (onednn when "
             "the build has it)."),
      integer(KEY(run, log_interval), "100", closed(1, 1000000),
              "Training steps between log lines."),
      boolean(KEY(run, log_all_ranks), "false",
              "Every rank writes info lines, not only rank 0 (for debugging)."),
      text(KEY(run, resume), "",
           "Empty: start afresh; auto: continue from the run's latest checkpoint when there "
           "is one; otherwise the checkpoint file to continue from."),
      boolean(KEY(run, overwrite), "false",
              "A start that does not continue the run folder's latest checkpoint (fresh, or "
              "from another file) may delete the earlier run's files there; false: refuse."),
      integer(KEY(run, checkpoint_interval), "1", closed(1, 100000),
              "Epochs between checkpoints."),
      integer(KEY(run, val_interval), "1", closed(1, 100000), "Epochs between validations."),

      // [data]
      nonempty_text(KEY(data, root), "data/coco", "Dataset folder, as made by the prepare step."),
      text(KEY(data, train_shards), "shards/train2017",
           "Training shards: a folder of HDF5 shards or an index file listing them; relative "
           "to data.root unless absolute. May be empty until the data is prepared."),
      text(KEY(data, val_shards), "shards/val2017",
           "Validation shards, in the same form as train_shards; empty: training runs "
           "without validation (pose_eval needs them)."),
      integer(KEY(data, image_width), "192", closed(32, 4096),
              "Network input width in pixels.", 32),
      integer(KEY(data, image_height), "256", closed(32, 4096),
              "Network input height in pixels.", 32),
      integer(KEY(data, heatmap_width), "48", closed(1, 4096),
              "Heatmap width; equals image_width / 32 * 2^model.num_deconv_layers."),
      integer(KEY(data, heatmap_height), "64", closed(1, 4096),
              "Heatmap height; equals image_height / 32 * 2^model.num_deconv_layers."),
      number(KEY(data, sigma), "2", open_closed(0, 100),
             "Standard deviation of the target Gaussians, in heatmap pixels."),
      choice(KEY(data, target_center), "rounded", {"rounded", "exact"},
             "Where each target Gaussian is centred: rounded: on the heatmap pixel nearest the "
             "joint (the reference); exact: on the joint's own position between pixels."),
      number(KEY(data, scale_factor), "0.3", closed_open(0, 1),
             "Random box scaling by clip(1 + N(0,1) * f, 1 - f, 1 + f), f = scale_factor."),
      number(KEY(data, rotation_factor), "40", closed(0, 180),
             "Random rotation of clip(N(0,1) * r, -2r, 2r) degrees, r = rotation_factor."),
      number(KEY(data, rotation_prob), "0.6", closed(0, 1),
             "Probability that a training sample is rotated."),
      boolean(KEY(data, flip), "true",
              "Mirror half of the training samples (left and right joints swapped)."),
      choice(KEY(data, color_order), "rgb", {"rgb", "bgr"},
             "Channel order fed to the network, normalised with the ImageNet RGB statistics "
             "either way; bgr reproduces the MSRA reference and its released weights."),
      choice(KEY(data, decode), "fast", {"fast", "exact"},
             "JPEG decoding of training samples: fast decodes at 1/2, 1/4 or 1/8 scale when the "
             "crop shrinks the image at least that much (a slight blur, fewer pixels to decode); "
             "exact always decodes at full resolution, as the MSRA reference does."),
      integer(KEY(data, loader_threads), "4", closed(1, 256),
              "Threads per rank decoding and augmenting images."),
      integer(KEY(data, prefetch_batches), "2", closed(1, 64),
              "Batches prepared ahead of the training step."),

      // [model]
      choice(KEY(model, backbone), "resnet50",
             {"resnet18", "resnet34", "resnet50", "resnet101", "resnet152"},
             "ResNet depth of the backbone."),
      integer(KEY(model, base_width), "64", closed(1, 1024),
              "Channels of the first ResNet stage (64 in ResNet; the stages have 1, 2, 4 and 8 "
              "times as many). Smaller widths make quick CPU runs; pretrained weights need 64."),
      text(KEY(model, pretrained), "pretrained/resnet50_imagenet.h5",
           "ImageNet weights of the backbone (HDF5 from the weight converter); empty: random "
           "initialisation."),
      integer(KEY(model, num_joints), "17", closed(1, 1024), "Heatmaps (joints) predicted."),
      integer(KEY(model, num_deconv_layers), "3", closed(1, 5),
              "Stride-2 transposed convolutions of the head; each doubles the heatmap size."),
      int_list(KEY(model, num_deconv_filters), "256,256,256", closed(1, 4096),
               "Filters of each transposed convolution, one entry per layer."),
      int_list_of(KEY(model, num_deconv_kernels), "4,4,4", {"2", "3", "4"},
                  "Kernel size of each transposed convolution, one entry per layer."),
      integer_of(KEY(model, final_conv_kernel), "1", {"1", "3"},
                 "Kernel size of the last convolution, which makes the heatmaps."),
      boolean(KEY(model, deconv_with_bias), "false",
              "Give the transposed convolutions a bias (they are followed by batch norm)."),

      // [train]
      integer(KEY(train, batch_size), "32", closed(1, 65536),
              "Samples per step on each rank; the global batch is this times the ranks."),
      integer(KEY(train, epochs), "140", closed(1, 100000), "Training epochs."),
      choice(KEY(train, optimizer), "adam", {"adam"}, "Optimiser."),
      number(KEY(train, lr), "0.001", open_closed(0, 10), "Initial learning rate."),
      int_list(KEY(train, lr_steps), "90,120", closed(1, 100000),
               "Epochs at which the learning rate is multiplied by lr_factor; increasing, each "
               "below epochs; empty: a constant rate.",
               true),
      number(KEY(train, lr_factor), "0.1", open_closed(0, 1),
             "Factor applied to the learning rate at each of lr_steps."),
      number(KEY(train, weight_decay), "0", closed_open(0, 1),
             "L2 penalty added to the gradients before the Adam update."),
      number(KEY(train, adam_beta1), "0.9", closed_open(0, 1),
             "Adam decay rate of the gradient mean."),
      number(KEY(train, adam_beta2), "0.999", closed_open(0, 1),
             "Adam decay rate of the squared-gradient mean."),
      number(KEY(train, adam_eps), "1e-08", open_closed(0, 1),
             "Adam term added to the root of the squared-gradient mean."),
      choice(KEY(train, precision), "fp16", {"fp16", "fp32"},
             "fp16: half-precision compute with fp32 master weights and dynamic loss scaling "
             "(CUDA only); fp32: single precision throughout."),
      number(KEY(train, loss_scale_init), "65536", open_closed(0, 1e10),
             "Initial loss scale (fp16); halved on an inf/NaN gradient, that step skipped."),
      integer(KEY(train, loss_scale_growth_interval), "1000", closed(1, 1000000000),
              "Clean fp16 steps after which the loss scale doubles."),
      boolean(KEY(train, use_target_weight), "true",
              "Weight each joint's loss by its visibility, so unlabelled joints count zero."),
      boolean(KEY(train, shuffle), "true", "Shuffle the training samples every epoch."),

      // [test]
      integer(KEY(test, batch_size), "32", closed(1, 65536),
              "Samples per inference step on each rank."),
      boolean(KEY(test, use_gt_bbox), "false",
              "Evaluate on the ground-truth person boxes instead of the detector boxes."),
      text(KEY(test, bbox_file), "COCO_val2017_detections_AP_H_56_person.json",
           "Detector person boxes (COCO results JSON) the validation shards were prepared from "
           "(pose_prepare --det-file); evaluation reads the boxes stored in the shards and "
           "refuses shards made from a file of another name."),
      number(KEY(test, image_thre), "0", closed(0, 1),
             "Detector boxes scoring below this are dropped when the validation shards are "
             "prepared (pose_prepare --image-thre); evaluation refuses shards made with "
             "another threshold."),
      boolean(KEY(test, flip_test), "true",
              "Average the heatmaps of each image and of its mirror image."),
      boolean(KEY(test, shift_heatmap), "true",
              "In the flip test, shift the mirrored heatmaps right to align them (test.flip_shift)."),
      choice(KEY(test, flip_shift), "column", {"column", "exact"},
             "How far shift_heatmap moves them: column: one whole column (the reference); exact: "
             "the flip's true misalignment, 1 - heatmap_width / image_width columns (0.75 at "
             "stride 4), interpolating between columns, for data.target_center exact."),
      boolean(KEY(test, post_process), "true",
              "Refine each heatmap peak to a position between pixels, as test.peak_refine says."),
      choice(KEY(test, peak_refine), "quarter", {"quarter", "taylor"},
             "With post_process: quarter: move the peak a quarter pixel towards its higher "
             "neighbour in x and in y (the reference); taylor: smooth the heatmap with a "
             "Gaussian of data.sigma and take a Newton step on its logarithm at the peak "
             "(DARK, Zhang et al. 2020), for heatmaps trained with data.target_center exact."),
      choice(KEY(test, decode), "exact", {"exact", "fast"},
             "JPEG decoding of evaluation samples, as data.decode; exact gives the reference's "
             "network inputs."),
      number(KEY(test, in_vis_thre), "0.2", closed(0, 1),
             "Joints whose peak exceeds this count towards the instance score."),
      number(KEY(test, oks_thre), "0.9", closed(0, 1),
             "OKS above which OKS-NMS drops the lower-scored of two instances."),
      text(KEY(test, model_file), "",
           "Weights to evaluate; empty: the run's best checkpoint, else its latest; untrained: "
           "the random initial weights a training run with this config starts from."),
      text(KEY(test, results_dir), "",
           "Folder for the results file of an evaluation; empty: <output_dir>/<name>/results."),
  };
}

#undef KEY

}  // namespace

const std::vector<KeySpec>& schema() {
  static const std::vector<KeySpec> keys = build_schema();
  return keys;
}

const std::vector<std::string>& section_names() {
  static const std::vector<std::string> names = {"run", "data", "model", "train", "test"};
  return names;
}

const KeySpec* find_key(const std::string& key) {
  const auto& keys = schema();
  auto found = std::find_if(keys.begin(), keys.end(),
                            [&](const KeySpec& spec) { return spec.key() == key; });
  return found == keys.end() ? nullptr : &*found;
}

}  // namespace pose::config_schema
