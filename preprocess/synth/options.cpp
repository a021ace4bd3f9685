#include "options.h"

#include <algorithm>
#include <charconv>
#include <thread>

#include "core/error.h"

namespace pose::synth {
namespace {

template <typename Int>
Int parse_integer(const std::string& option, const std::string& text, Int lo, Int hi) {
  Int value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < lo || value > hi)
    throw UserError(cat("pose_synth: ", option, " wants a whole number in [", lo, ", ", hi, "], got '", text, "'"));
  return value;
}

}  // namespace

const char* const kSynthUsage =
    "usage: pose_synth --out DIR [--train-images N] [--val-images N] [--seed S] [--threads T]\n"
    "                  [--min-size PIXELS] [--max-size PIXELS]\n"
    "Writes the synthetic COCO-style keypoint dataset: DIR/annotations/person_keypoints_{train,val}2017.json,\n"
    "DIR/{train,val}2017/%012d.jpg and DIR/detections/person_detections_val2017.json.\n"
    "  --out DIR            output folder (created if missing)\n"
    "  --train-images N     images in train2017 (default 512)\n"
    "  --val-images N       images in val2017 (default 128); their ids follow train's\n"
    "  --seed S             random seed (default 1); the same seed gives the same bytes whatever --threads\n"
    "  --threads T          drawing threads (default: every core)\n"
    "  --min-size, --max-size PIXELS   range of image widths and heights (default 256..512)\n";

SynthOptions parse_synth_options(int argc, char** argv) {
  SynthOptions o;
  o.threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 1024u));
  for (int i = 1; i < argc; ++i) {
    std::string option = argv[i], value;
    if (option == "--help" || option == "-h") {
      o.help = true;
      continue;
    }
    // Both "--key value" and "--key=value".
    if (const std::size_t equals = option.find('='); equals != std::string::npos) {
      value = option.substr(equals + 1);
      option.resize(equals);
    } else if (option.rfind("--", 0) == 0 && i + 1 < argc) {
      value = argv[++i];
    } else {
      throw UserError(cat("pose_synth: '", option, "' is not an option with a value\n", kSynthUsage));
    }
    if (option == "--out") o.out = value;
    else if (option == "--train-images") o.train_images = parse_integer(option, value, 0, 10'000'000);
    else if (option == "--val-images") o.val_images = parse_integer(option, value, 0, 10'000'000);
    else if (option == "--seed") o.seed = parse_integer<std::uint64_t>(option, value, 0, UINT64_MAX);
    else if (option == "--threads") o.threads = parse_integer(option, value, 1, 1024);
    // 4096 keeps one image's buffers near 100 MB per thread.
    else if (option == "--min-size") o.scene.min_size = parse_integer(option, value, 64, 4096);
    else if (option == "--max-size") o.scene.max_size = parse_integer(option, value, 64, 4096);
    else throw UserError(cat("pose_synth: unknown option '", option, "'\n", kSynthUsage));
  }
  if (o.help) return o;
  if (o.out.empty()) throw UserError(cat("pose_synth: --out DIR is required\n", kSynthUsage));
  if (o.scene.min_size > o.scene.max_size)
    throw UserError(cat("pose_synth: --min-size ", o.scene.min_size, " exceeds --max-size ", o.scene.max_size));
  if (o.train_images + o.val_images == 0) throw UserError("pose_synth: --train-images and --val-images are both 0");
  return o;
}

}  // namespace pose::synth
