#include "infer/detection_boxes.h"

#include "core/error.h"
#include "data/json_fields.h"

namespace pose {

std::map<std::int64_t, std::vector<ScoredBox>> read_detection_boxes(const std::string& path, double min_score) {
  namespace jf = json_fields;
  const nlohmann::json detections = jf::parse_file(path);
  if (!detections.is_array())
    throw UserError(cat("'", path, "' is not a COCO detection results file (a JSON list of detections)"));
  std::map<std::int64_t, std::vector<ScoredBox>> boxes;
  for (std::size_t i = 0; i < detections.size(); ++i) {
    const std::string where = cat("'", path, "' [", i, "]");
    const nlohmann::json& det = detections[i];
    const std::int64_t category = jf::integer(det, "category_id", where);
    const double score = jf::number(det, "score", where);
    const std::vector<double> bbox = jf::numbers(det, "bbox", 4, where);
    if (category != 1 || score < min_score) continue;
    boxes[jf::integer(det, "image_id", where)].push_back({{bbox[0], bbox[1], bbox[2], bbox[3]}, score});
  }
  return boxes;
}

}  // namespace pose
