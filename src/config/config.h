// The run's configuration: INI files read by Boost.Program_options, every key also a flag.
//
//   [train]                       is key train.lr, and the flag --train.lr 0.01 (or
//   lr = 1e-3                     --train.lr=0.01) overrides it.
//
// Precedence: flag > file (--config FILE) > built-in default. The table of every key (type,
// default, accepted range, meaning) is config_schema.cpp; `--help` prints it. Defaults are the
// seed's values (configs/coco/res50_256x192_adam_lr1e-3.ini).
//
// Choice keys are kept as their text ("cpu", "fp16"): the schema guarantees the text is one of
// the listed choices, so a consumer compares strings without further checks.
#pragma once

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace pose {

struct RunSection {
  std::string name;  // run folder: <output_dir>/<name>
  std::string output_dir;
  int seed = 0;
  std::string device;    // auto | cpu | cuda
  std::string comm;      // nccl | mpi
  int comm_timeout = 0;  // seconds one NCCL gradient sum may take
  bool comm_single_rank = false;  // sum gradients through `comm` even with one rank
  std::string gpu_kernels;        // auto | simple | vectorized | fused (kernels/gpu_kernels.h)
  std::string cpu_conv;           // auto | onednn | reference (kernels/cpu_conv.h)
  int log_interval = 0;  // steps
  bool log_all_ranks = false;
  std::string resume;           // "" | auto | checkpoint path
  bool overwrite = false;       // a start that does not continue may replace an earlier run's files
  int checkpoint_interval = 0;  // epochs
  int val_interval = 0;         // epochs
};

struct DataSection {
  std::string root;
  std::string train_shards;  // relative paths are taken from root
  std::string val_shards;
  int image_width = 0;
  int image_height = 0;
  int heatmap_width = 0;
  int heatmap_height = 0;
  double sigma = 0;
  std::string target_center;  // rounded | exact
  double scale_factor = 0;
  double rotation_factor = 0;  // degrees
  double rotation_prob = 0;
  bool flip = false;
  std::string color_order;  // rgb | bgr
  std::string decode;       // fast | exact: JPEG decoding of training samples
  int loader_threads = 0;
  int prefetch_batches = 0;
};

struct ModelSection {
  std::string backbone;  // resnet18 | resnet34 | resnet50 | resnet101 | resnet152
  int base_width = 0;    // channels of the first ResNet stage (64 in ResNet)
  std::string pretrained;
  int num_joints = 0;
  int num_deconv_layers = 0;
  std::vector<int> num_deconv_filters;
  std::vector<int> num_deconv_kernels;
  int final_conv_kernel = 0;
  bool deconv_with_bias = false;
};

struct TrainSection {
  int batch_size = 0;  // per rank
  int epochs = 0;
  std::string optimizer;  // adam
  double lr = 0;
  std::vector<int> lr_steps;
  double lr_factor = 0;
  double weight_decay = 0;
  double adam_beta1 = 0;
  double adam_beta2 = 0;
  double adam_eps = 0;
  std::string precision;  // fp16 | fp32
  double loss_scale_init = 0;
  int loss_scale_growth_interval = 0;  // steps
  bool use_target_weight = false;
  bool shuffle = false;
};

struct TestSection {
  int batch_size = 0;  // per rank
  bool use_gt_bbox = false;
  std::string bbox_file;  // relative paths are taken from data.root
  double image_thre = 0;
  bool flip_test = false;
  bool shift_heatmap = false;
  std::string flip_shift;  // column | exact
  bool post_process = false;
  std::string peak_refine;  // quarter | taylor
  std::string decode;  // exact | fast: JPEG decoding of evaluation samples
  double in_vis_thre = 0;
  double oks_thre = 0;
  std::string model_file;  // "" = the run's best (else latest) checkpoint
  std::string results_dir;  // "" = <output_dir>/<name>/results
};

enum class ValueOrigin { Default, File, Flag };

// A value-initialised Config holds zeros, not the defaults: start from default_config() or
// parse_command_line().
struct Config {
  RunSection run;
  DataSection data;
  ModelSection model;
  TrainSection train;
  TestSection test;
  std::string source_file;                     // the --config path; "" without one
  std::map<std::string, ValueOrigin> origins;  // "train.lr" -> where its value came from
};

// Every key at its built-in default (origin Default).
Config default_config();

// True when every key holds the same value (origins and source_file are not compared).
bool same_settings(const Config& a, const Config& b);

struct ParsedCommandLine {
  Config config;
  bool stop = false;  // --help or --print-config was given and its text is already printed
};

// Reads --config FILE (if given) and the --section.key flags, and checks every value and the
// rules between keys. Throws UserError ("config error: ...") on any problem, before any work
// is done. --help and --print-config print to `out` and set `stop`.
ParsedCommandLine parse_command_line(int argc, const char* const argv[], std::ostream& out);

// INI text of every key, re-readable with --config; each value is followed by a comment
// naming its origin (default, file or flag).
std::string effective_config_ini(const Config& config);

// Usage of `program`, then every key grouped by section with its default, accepted values and
// meaning, then the rules between keys.
std::string config_help(const std::string& program);

}  // namespace pose
