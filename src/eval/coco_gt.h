// COCO keypoint ground truth, as pycocotools' COCO and COCOeval._prepare see it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "eval/coco_params.h"

namespace pose {

struct CocoGtPerson {
  std::int64_t id = 0;
  std::int64_t image_id = 0;
  std::int64_t category_id = 0;
  bool crowd = false;
  // COCOeval's ignore flag for keypoints: a crowd region or an annotation without labelled
  // joints (num_keypoints == 0). Ignored GT neither counts as a miss nor makes a hit.
  bool ignore = false;
  double area = 0;                   // the annotation's (segment) area, chooses the area range
  std::array<double, 4> box{};       // [x, y, w, h], used by the OKS of unlabelled GT
  std::array<double, coco::kKeypointValues> keypoints{};  // 17 (x, y, v)
};

struct CocoGroundTruth {
  std::string source;                      // the file, for messages
  std::vector<std::int64_t> image_ids;     // every image of the file, sorted, unique
  std::vector<std::int64_t> category_ids;  // the evaluated categories, sorted, unique
  std::vector<CocoGtPerson> people;        // annotations in file order

  bool has_image(std::int64_t image_id) const;
  // Position of image_id in image_ids; the image must exist.
  std::size_t image_index(std::int64_t image_id) const;
};

// Reads images (id), categories (id) and annotations (id, image_id, category_id, iscrowd,
// num_keypoints, area, bbox[4], keypoints[51]). Bad JSON, a missing or mistyped field, a wrong
// count, or an annotation on an image the file does not list is a UserError naming `source`
// and the item. Annotations of categories missing from `categories` are kept but not
// evaluated, as in pycocotools. Annotation ids given more than once are scored as pycocotools
// scores them (each id stands for the last annotation carrying it), with a warning.
CocoGroundTruth read_coco_gt(const std::string& json_text, const std::string& source);
CocoGroundTruth load_coco_gt(const std::string& path);

}  // namespace pose
