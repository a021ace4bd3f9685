// The COCO 2017 layout on disk: folders, image file names, the keypoint annotation files and
// the detection list.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scene.h"

namespace pose::synth {

// One image's entry: what the annotation and detection files say about it.
struct ImageRecord {
  std::int64_t id = 0;
  int width = 0;
  int height = 0;
  std::vector<Annotation> annotations;
  std::vector<Detection> detections;
};

// "%012d.jpg" of the id, as COCO names its images.
std::string image_file_name(std::int64_t id);
// Creates `folder` and its parents; throws UserError naming it when that fails.
void make_folder(const std::filesystem::path& folder);
// person_keypoints_<split>.json; annotation ids count on from next_annotation_id.
nlohmann::json keypoints_json(const std::vector<ImageRecord>& images, std::int64_t& next_annotation_id,
                              std::uint64_t seed);
// A list of {image_id, category_id, bbox, score}, like COCO's released detection files.
nlohmann::json detections_json(const std::vector<ImageRecord>& images);
void write_json(const std::filesystem::path& path, const nlohmann::json& doc);

}  // namespace pose::synth
