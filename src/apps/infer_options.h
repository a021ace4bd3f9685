// The command line of pose_infer: its own flags (images, boxes, output folder) taken out of
// argv, its short flags turned into the config flags they stand for, and everything else left
// for the config parser (so every config key is also a flag, as in pose_train and pose_eval).
// Every flag also takes the --flag=value form.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace pose {

struct InferOptions {
  std::vector<std::string> inputs;                 // --images, repeatable: files or folders
  std::vector<std::array<double, 4>> boxes;        // --box x,y,w,h, repeatable
  std::string det_file;                            // --det-file
  std::string out_dir;                             // --out
  bool help = false;                               // --help: print usage (the config parser adds its keys)
  std::vector<std::string> config_args;            // argv[0] and what the config parser reads
};

// UserError naming the flag for a bad or missing value (a usage error: exit status 2).
InferOptions parse_infer_options(int argc, char** argv);

// The usage text of pose_infer's own and short flags.
std::string infer_usage();

}  // namespace pose
