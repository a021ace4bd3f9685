#include "dataset_writer.h"

#include <cstdio>
#include <system_error>

#include "core/error.h"
#include "io/file.h"

namespace pose::synth {
namespace {

using nlohmann::json;

json person_category() {
  return {{"id", 1},
          {"name", "person"},
          {"supercategory", "person"},
          {"keypoints",
           {"nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder", "left_elbow",
            "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee", "right_knee",
            "left_ankle", "right_ankle"}},
          // COCO's skeleton, 1-based keypoint numbers.
          {"skeleton",
           {{16, 14}, {14, 12}, {17, 15}, {15, 13}, {12, 13}, {6, 12}, {7, 13}, {6, 7}, {6, 8}, {7, 9}, {8, 10},
            {9, 11}, {2, 3}, {1, 2}, {1, 3}, {2, 4}, {3, 5}, {4, 6}, {5, 7}}}};
}

}  // namespace

std::string image_file_name(std::int64_t id) {
  char name[32];
  std::snprintf(name, sizeof name, "%012lld.jpg", static_cast<long long>(id));
  return name;
}

void make_folder(const std::filesystem::path& folder) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) throw UserError(cat("pose_synth: cannot create folder '", folder.string(), "': ", error.message()));
}

json keypoints_json(const std::vector<ImageRecord>& images, std::int64_t& next_annotation_id, std::uint64_t seed) {
  json image_list = json::array(), annotation_list = json::array();
  for (const ImageRecord& image : images) {
    image_list.push_back(
        {{"id", image.id}, {"file_name", image_file_name(image.id)}, {"width", image.width}, {"height", image.height}});
    for (const Annotation& a : image.annotations)
      annotation_list.push_back({{"id", next_annotation_id++},
                                 {"image_id", image.id},
                                 {"category_id", 1},
                                 {"iscrowd", a.crowd ? 1 : 0},
                                 {"bbox", a.bbox},
                                 {"area", a.area},
                                 {"keypoints", a.keypoints},
                                 {"num_keypoints", a.num_keypoints}});
  }
  return {{"info",
           {{"description", "pose_synth synthetic COCO-style person keypoints; area = visible pixels of the figure"},
            {"seed", seed}}},
          {"images", image_list},
          {"annotations", annotation_list},
          {"categories", json::array({person_category()})}};
}

json detections_json(const std::vector<ImageRecord>& images) {
  json list = json::array();
  for (const ImageRecord& image : images)
    for (const Detection& d : image.detections)
      list.push_back({{"image_id", image.id}, {"category_id", 1}, {"bbox", d.bbox}, {"score", d.score}});
  return list;
}

void write_json(const std::filesystem::path& path, const json& doc) { write_text_file(path.string(), doc.dump() + "\n"); }

}  // namespace pose::synth
