// COCO keypoint annotations -> PersonRecords, exactly as the reference builds its training
// and validation records (docs/reference_behaviour.md section 1).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "data/record.h"

namespace pose {

struct CocoImage {
  std::int64_t id = 0;
  int width = 0;
  int height = 0;
};

// Images in the annotation file's order, each with its records (possibly none).
struct RecordSet {
  std::vector<CocoImage> images;
  std::vector<std::vector<PersonRecord>> records;  // [image]
  std::size_t num_records() const;
};

struct RecordOptions {
  int input_width = 192;   // the network input, whose aspect the boxes are widened to
  int input_height = 256;
};

// The reference's _xywh2cs: centre of the box, box widened to the input aspect, / 200, x 1.25.
void box_to_center_scale(double x, double y, double w, double h, const RecordOptions& options,
                         std::array<float, 2>& center, std::array<float, 2>& scale);

// Ground-truth boxes: non-crowd person annotations with area > 0, a non-empty sanitised box
// and at least one labelled keypoint. Malformed JSON, a missing field or a wrong type is a
// UserError naming the file and the item ("annotations[12] (id 442619): 'keypoints' has 50
// numbers, expected 51").
RecordSet gt_records(const std::string& annotation_file, const RecordOptions& options);

// Detector boxes: every detection of category 1 with score >= image_thre, on images of the
// annotation file. A detection on an image the annotation file does not list is an error
// naming it: it means the two files do not belong together, which skipping would hide.
RecordSet detector_records(const std::string& annotation_file, const std::string& detection_file,
                           double image_thre, const RecordOptions& options);

}  // namespace pose
