// A COCO keypoint results file read as pycocotools' loadRes does: a list of
// {image_id, category_id, keypoints[51], score}; other fields (center, scale) are ignored.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "eval/coco_gt.h"

namespace pose {

struct CocoDetection {
  std::int64_t image_id = 0;
  std::int64_t category_id = 0;
  double score = 0;
  // loadRes's area: (max x - min x) * (max y - min y) over the 17 joints. When the first
  // result has a non-empty 'bbox', loadRes takes its box path instead and every area is the
  // box's w * h. The area only decides whether an unmatched detection is ignored in an area
  // range.
  double area = 0;
  std::array<double, coco::kKeypointValues> keypoints{};  // 17 (x, y, score)
};

// Results in file order. An empty list is allowed (every GT is then missed; pycocotools
// itself fails on it). Bad JSON, a missing or mistyped field, a keypoint list that is not 51
// numbers, or an image_id that `gt` does not list is a UserError naming `source` and the item.
std::vector<CocoDetection> read_coco_results(const std::string& json_text, const std::string& source,
                                             const CocoGroundTruth& gt);
std::vector<CocoDetection> load_coco_results(const std::string& path, const CocoGroundTruth& gt);

}  // namespace pose
