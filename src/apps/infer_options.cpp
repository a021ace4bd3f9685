#include "apps/infer_options.h"

#include <cstdlib>
#include <sstream>

#include "core/error.h"

namespace pose {
namespace {

// Short flags and the config keys they set; `words` maps a word to the key's value.
struct Alias {
  const char* flag;
  const char* key;
  std::vector<std::pair<const char*, const char*>> words;
};

const std::vector<Alias> kAliases = {
    {"--model", "--test.model_file", {}},
    {"--batch", "--test.batch_size", {}},
    {"--flip", "--test.flip_test",
     {{"on", "true"}, {"off", "false"}, {"yes", "true"}, {"no", "false"}, {"true", "true"}, {"false", "false"},
      {"1", "true"}, {"0", "false"}}},
};

std::array<double, 4> parse_box(const std::string& text) {
  std::array<double, 4> box{};
  std::istringstream in(text);
  for (int i = 0; i < 4; ++i) {
    char comma = ',';
    if (!(in >> box[static_cast<std::size_t>(i)]) || (i < 3 && (!(in >> comma) || comma != ',')))
      throw UserError(cat("--box ", text, ": expected x,y,w,h (four numbers, image pixels)"));
  }
  if (!(in >> std::ws).eof()) throw UserError(cat("--box ", text, ": expected x,y,w,h (four numbers, image pixels)"));
  if (box[2] <= 0 || box[3] <= 0) throw UserError(cat("--box ", text, ": width and height must be positive"));
  return box;
}

}  // namespace

std::string infer_usage() {
  return "\nFlags of pose_infer (besides every config key):\n"
         "  --images PATH       a JPEG file or a folder of them; repeat for more (required)\n"
         "  --out DIR           folder for keypoints_results.json, images.json and one picture per image (required)\n"
         "  --box x,y,w,h       a person box in image pixels, used on every image; repeat for more\n"
         "  --det-file FILE     person boxes from a COCO detection results file (by the image id of COCO file names)\n"
         "                      without --box or --det-file the whole image is one box\n"
         "  --model FILE        weights (ours, or a converted released model) (--test.model_file)\n"
         "  --batch N           crops per inference step on each rank (--test.batch_size)\n"
         "  --flip on|off       flip test, also yes/no, true/false, 1/0 (--test.flip_test)\n"
         "Every flag also takes the form --flag=value.\n";
}

InferOptions parse_infer_options(int argc, char** argv) {
  InferOptions o;
  o.config_args.emplace_back(argv[0]);
  for (int i = 1; i < argc; ++i) {
    // --flag=value is --flag value (for our flags; the config parser reads --key=value itself).
    const std::string token = argv[i];
    const std::size_t equals = token.find('=');
    const std::string flag = token.substr(0, equals);
    const bool inline_value = equals != std::string::npos;
    auto value = [&]() -> std::string {
      if (inline_value) return token.substr(equals + 1);
      if (i + 1 >= argc) throw UserError(cat(flag, ": needs a value"));
      return argv[++i];
    };
    if (flag == "--images") {
      o.inputs.push_back(value());
    } else if (flag == "--box") {
      o.boxes.push_back(parse_box(value()));
    } else if (flag == "--det-file") {
      o.det_file = value();
    } else if (flag == "--out") {
      o.out_dir = value();
    } else {
      const Alias* alias = nullptr;
      for (const Alias& a : kAliases)
        if (flag == a.flag) alias = &a;
      if (!alias) {
        if (token == "--help") o.help = true;
        o.config_args.push_back(token);
        continue;
      }
      std::string v = value();
      if (!alias->words.empty()) {
        std::string mapped;
        for (const auto& [word, key_value] : alias->words)
          if (v == word) mapped = key_value;
        if (mapped.empty()) throw UserError(cat(flag, " ", v, ": expected on or off (yes/no, true/false, 1/0)"));
        v = mapped;
      }
      o.config_args.push_back(alias->key);
      o.config_args.push_back(v);
    }
  }
  if (o.help) return o;
  if (o.inputs.empty()) throw UserError("--images: missing (a JPEG file or a folder of them)");
  if (o.out_dir.empty()) throw UserError("--out: missing (the folder for results and pictures)");
  if (!o.boxes.empty() && !o.det_file.empty()) throw UserError("--box and --det-file: give one or the other");
  return o;
}

}  // namespace pose
