// The values of the small programs' own flags (benchmarks, pose_coco_eval), read the same way
// everywhere: a bad value is a UserError naming the flag as the user typed it and what it
// wants, never an exception from std::stoi. Image sizes are always WIDTHxHEIGHT, as in
// pose_prepare --input-size and data.image_width x data.image_height.
#pragma once

#include <string>
#include <vector>

namespace pose::cli {

struct ImageSize {
  int width = 0;
  int height = 0;
};

// "--flag=value" becomes "--flag" "value"; other arguments stay as they are.
std::vector<std::string> split_assignments(int argc, char** argv);

int whole_number(const std::string& flag, const std::string& text, long low, long high);
// A comma-separated list: "1,2,4".
std::vector<int> whole_numbers(const std::string& flag, const std::string& text, long low, long high);
// A finite number > 0.
double positive_number(const std::string& flag, const std::string& text);
// "192x256": width 192, height 256, each in [1, 100000].
ImageSize image_size(const std::string& flag, const std::string& text);

}  // namespace pose::cli
