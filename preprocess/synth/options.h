// pose_synth's command line.
#pragma once

#include <cstdint>
#include <string>

#include "scene.h"

namespace pose::synth {

struct SynthOptions {
  std::string out;
  int train_images = 512;
  int val_images = 128;
  std::uint64_t seed = 1;
  int threads = 1;  // parse_synth_options() defaults it to every core
  SceneSettings scene;
  bool help = false;
};

extern const char* const kSynthUsage;

// Throws UserError naming the option on a bad one.
SynthOptions parse_synth_options(int argc, char** argv);

}  // namespace pose::synth
