#include "viz/results_pictures.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "core/error.h"
#include "data/json_fields.h"
#include "viz/picture.h"
#include "viz/skeleton.h"

namespace pose {
namespace {

namespace jf = json_fields;

std::array<double, 51> to_pose(const std::vector<double>& values) {
  std::array<double, 51> pose{};
  std::copy(values.begin(), values.end(), pose.begin());
  return pose;
}

}  // namespace

std::size_t write_results_pictures(const ResultsPictureOptions& o, std::vector<std::string>& problems) {
  const nlohmann::json gt = jf::parse_file(o.annotation_file);
  const std::string gt_where = cat("'", o.annotation_file, "'");
  std::vector<std::pair<std::int64_t, std::string>> images;  // id, file name, in file order
  for (const nlohmann::json& image : jf::list(gt, "images", gt_where)) {
    const std::string where = cat(gt_where, " images[", images.size(), "]");
    images.emplace_back(jf::integer(image, "id", where), jf::text(image, "file_name", where));
  }
  std::multimap<std::int64_t, std::array<double, 51>> truth, predicted;
  const nlohmann::json& annotations = jf::list(gt, "annotations", gt_where);
  for (std::size_t i = 0; i < annotations.size(); ++i) {
    const std::string where = cat(gt_where, " annotations[", i, "]");
    std::array<double, 51> pose = to_pose(jf::numbers(annotations[i], "keypoints", 51, where));
    for (std::size_t j = 2; j < 51; j += 3) pose[j] = pose[j] > 0 ? 1.0 : 0.0;  // labelled joints, drawn in full
    truth.emplace(jf::integer(annotations[i], "image_id", where), pose);
  }
  const nlohmann::json results = o.results_file.empty() ? nlohmann::json::array() : jf::parse_file(o.results_file);
  if (!results.is_array()) throw UserError(cat("'", o.results_file, "' is not a COCO keypoint results file (a JSON list)"));
  for (std::size_t i = 0; i < results.size(); ++i) {
    const std::string where = cat("'", o.results_file, "' [", i, "]");
    if (jf::number(results[i], "score", where) < o.min_pose_score) continue;
    predicted.emplace(jf::integer(results[i], "image_id", where), to_pose(jf::numbers(results[i], "keypoints", 51, where)));
  }

  std::vector<std::pair<std::int64_t, std::string>> chosen;
  if (o.ids.empty()) {
    chosen.assign(images.begin(), images.begin() + static_cast<std::ptrdiff_t>(std::min(o.first, images.size())));
  } else {
    for (const std::int64_t id : o.ids) {
      const auto found = std::find_if(images.begin(), images.end(), [&](const auto& im) { return im.first == id; });
      if (found == images.end())
        problems.push_back(cat("image id ", id, " is not in '", o.annotation_file, "'"));
      else
        chosen.push_back(*found);
    }
  }
  PoseStyle style;
  style.score_threshold = o.joint_threshold;
  std::filesystem::create_directories(o.out_dir);
  std::size_t written = 0;
  for (const auto& [id, file_name] : chosen) {
    try {
      const Picture image = read_jpeg_picture(o.images_dir + "/" + file_name);
      Picture left = image, right = image;
      for (auto [it, end] = truth.equal_range(id); it != end; ++it) draw_pose(left, it->second, style);
      for (auto [it, end] = predicted.equal_range(id); it != end; ++it) draw_pose(right, it->second, style);
      const std::string stem = o.out_dir + "/" + std::filesystem::path(file_name).stem().string();
      if (o.results_file.empty())
        write_jpeg_picture(stem + "_gt.jpg", left);
      else
        write_jpeg_picture(stem + "_gt_vs_pred.jpg", side_by_side(left, right));
      ++written;
    } catch (const UserError& e) {
      problems.push_back(e.what());
    }
  }
  return written;
}

}  // namespace pose
