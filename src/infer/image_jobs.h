// What pose_infer works on: the JPEG files named on its command line (files, or folders of
// *.jpg / *.jpeg), each with its image id, size and the person boxes to infer, as records.
// Problems with one input (unreadable file, not a JPEG, an empty folder, a box outside the
// image) are collected as messages naming the file, and the rest is still planned.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "data/coco_records.h"
#include "data/record.h"
#include "infer/detection_boxes.h"

namespace pose {

struct ImageJob {
  std::string path;
  std::int64_t image_id = 0;  // the number a COCO file name holds (000000397133.jpg), else its place in the list (1-based)
  int width = 0;
  int height = 0;
  std::vector<PersonRecord> people;
};

struct BoxChoice {
  std::vector<std::array<double, 4>> boxes;                       // --box: the same boxes on every image
  const std::map<std::int64_t, std::vector<ScoredBox>>* detections = nullptr;  // --det-file, by image id
  // Neither: the whole image is one box.
};

// The whole file; UserError "cannot be read" (the caller names the file).
std::vector<std::uint8_t> read_image_bytes(const std::string& path);

// The JPEG files of `inputs` in order (a folder's files sorted by name), each once. Missing
// paths and folders without JPEG files add a message to `problems`.
std::vector<std::string> list_images(const std::vector<std::string>& inputs, std::vector<std::string>& problems);

// Reads each image's header and makes its records as evaluation makes them from detector
// boxes: the box as given (one with no area inside the image is a problem, skipped), widened
// to the input aspect and enlarged 1.25x, area w * h, the box's score. An image that cannot be
// read is a problem and has no job.
std::vector<ImageJob> plan_image_jobs(const std::vector<std::string>& images, const BoxChoice& choice,
                                      const RecordOptions& options, std::vector<std::string>& problems);

}  // namespace pose
