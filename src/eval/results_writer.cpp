#include "eval/results_writer.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "io/file.h"

namespace pose {

namespace {

constexpr int kPersonCategory = 1;

void check_finite(const double* values, std::size_t count, const char* field, std::size_t index,
                  const PosePrediction& p) {
  for (std::size_t i = 0; i < count; ++i)
    if (!std::isfinite(values[i]))
      throw Error(cat("results: prediction ", index, " (image ", p.image_id, ") has a non-finite value in '", field,
                      "'; JSON cannot store it"));
}

}  // namespace

std::string coco_results_json(const std::vector<PosePrediction>& predictions) {
  std::string text = "[";
  for (std::size_t i = 0; i < predictions.size(); ++i) {
    const PosePrediction& p = predictions[i];
    check_finite(p.keypoints.data(), p.keypoints.size(), "keypoints", i, p);
    check_finite(&p.score, 1, "score", i, p);
    check_finite(p.center.data(), 2, "center", i, p);
    check_finite(p.scale.data(), 2, "scale", i, p);
    nlohmann::ordered_json item;
    item["image_id"] = p.image_id;
    item["category_id"] = kPersonCategory;
    item["keypoints"] = p.keypoints;
    item["score"] = p.score;
    item["center"] = p.center;
    item["scale"] = p.scale;
    text += i ? ",\n" : "\n";
    text += item.dump();
  }
  text += "\n]\n";
  return text;
}

void write_coco_results(const std::string& path, const std::vector<PosePrediction>& predictions) {
  write_text_file(path, coco_results_json(predictions));
}

}  // namespace pose
