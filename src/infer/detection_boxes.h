// Person boxes of a COCO detection results file ([{"image_id", "category_id", "bbox": [x, y,
// w, h], "score"}, ...], e.g. COCO_val2017_detections_AP_H_56_person.json) by image id.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pose {

struct ScoredBox {
  std::array<double, 4> box{};  // x, y, w, h in image pixels
  double score = 1;
};

// Person detections (category 1) with score >= min_score. UserError naming the file and the
// item when it is not such a file.
std::map<std::int64_t, std::vector<ScoredBox>> read_detection_boxes(const std::string& path, double min_score);

}  // namespace pose
