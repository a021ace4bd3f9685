#include "data/coco_records.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "core/error.h"
#include "data/json_fields.h"

namespace pose {
namespace {

using nlohmann::json;
namespace jf = json_fields;

constexpr std::int64_t kPersonCategory = 1;

// The annotation file's images, in file order, and where each image id sits.
struct ImageTable {
  json doc;
  RecordSet set;
  std::unordered_map<std::int64_t, std::size_t> position;

  std::size_t find(std::int64_t image_id, const std::string& where, const std::string& file) const {
    const auto found = position.find(image_id);
    if (found == position.end()) throw UserError(cat(where, ": image_id ", image_id, " is not in '", file, "'"));
    return found->second;
  }
};

ImageTable load_images(const std::string& path) {
  ImageTable table;
  table.doc = jf::parse_file(path);
  const json& images = jf::list(table.doc, "images", cat("'", path, "'"));
  for (std::size_t i = 0; i < images.size(); ++i) {
    const std::string where = cat("'", path, "' images[", i, "]");
    CocoImage image;
    image.id = jf::integer(images[i], "id", where);
    const std::int64_t width = jf::integer(images[i], "width", where);
    const std::int64_t height = jf::integer(images[i], "height", where);
    if (width < 1 || height < 1 || width > 1'000'000 || height > 1'000'000)
      throw UserError(cat(where, " (id ", image.id, "): size ", width, "x", height, " is not a plausible image size"));
    image.width = static_cast<int>(width);
    image.height = static_cast<int>(height);
    if (!table.position.emplace(image.id, i).second)
      throw UserError(cat(where, ": image id ", image.id, " appears twice"));
    table.set.images.push_back(image);
  }
  table.set.records.resize(table.set.images.size());
  return table;
}

// A record whose box has been decided: fills centre and scale and the image's size.
PersonRecord record_for_box(const CocoImage& image, double x, double y, double w, double h,
                            const RecordOptions& options) {
  PersonRecord r;
  r.image_id = image.id;
  r.image_width = image.width;
  r.image_height = image.height;
  r.box = {static_cast<float>(x), static_cast<float>(y), static_cast<float>(w), static_cast<float>(h)};
  box_to_center_scale(x, y, w, h, options, r.center, r.scale);
  return r;
}

}  // namespace

std::size_t RecordSet::num_records() const {
  std::size_t n = 0;
  for (const auto& r : records) n += r.size();
  return n;
}

void box_to_center_scale(double x, double y, double w, double h, const RecordOptions& options,
                         std::array<float, 2>& center, std::array<float, 2>& scale) {
  const double aspect = static_cast<double>(options.input_width) / options.input_height;
  center = {static_cast<float>(x + 0.5 * w), static_cast<float>(y + 0.5 * h)};
  if (w > aspect * h)
    h = w / aspect;
  else if (w < aspect * h)
    w = h * aspect;
  constexpr double kEnlarge = 1.25;
  scale = {static_cast<float>(w / kPixelStd * kEnlarge), static_cast<float>(h / kPixelStd * kEnlarge)};
}

RecordSet gt_records(const std::string& annotation_file, const RecordOptions& options) {
  ImageTable table = load_images(annotation_file);
  const json& annotations = jf::list(table.doc, "annotations", cat("'", annotation_file, "'"));
  for (std::size_t i = 0; i < annotations.size(); ++i) {
    const json& ann = annotations[i];
    const std::string where = cat("'", annotation_file, "' annotations[", i, "]");
    const std::int64_t id = jf::integer(ann, "id", where);
    const std::string item = cat(where, " (id ", id, ")");
    // Every field is checked before any filter, so a malformed item is reported even when
    // the rules would drop it.
    const std::size_t image_index = table.find(jf::integer(ann, "image_id", item), item, annotation_file);
    const bool crowd = jf::integer_or(ann, "iscrowd", 0, item) != 0;
    const std::int64_t category = jf::integer(ann, "category_id", item);
    const double area = jf::number(ann, "area", item);
    const std::vector<double> bbox = jf::numbers(ann, "bbox", 4, item);
    const std::vector<double> keypoints = jf::numbers(ann, "keypoints", 3 * kCocoJoints, item);
    if (crowd || category != kPersonCategory) continue;

    const CocoImage& image = table.set.images[image_index];
    // The reference's sanitation: clip to the image; 1 pixel narrower and shorter than COCO's w, h.
    const double x1 = std::max(0.0, bbox[0]), y1 = std::max(0.0, bbox[1]);
    const double x2 = std::min(image.width - 1.0, x1 + std::max(0.0, bbox[2] - 1));
    const double y2 = std::min(image.height - 1.0, y1 + std::max(0.0, bbox[3] - 1));
    if (!(area > 0 && x2 >= x1 && y2 >= y1)) continue;
    if (*std::max_element(keypoints.begin(), keypoints.end()) == 0) continue;

    PersonRecord r = record_for_box(image, x1, y1, x2 - x1, y2 - y1, options);
    r.annotation_id = id;
    r.area = static_cast<float>(area);
    r.score = 1;
    for (std::size_t k = 0; k < r.joints.size(); ++k)
      r.joints[k] = {static_cast<float>(keypoints[3 * k]), static_cast<float>(keypoints[3 * k + 1]),
                     static_cast<float>(keypoints[3 * k + 2])};
    table.set.records[image_index].push_back(r);
  }
  return std::move(table.set);
}

RecordSet detector_records(const std::string& annotation_file, const std::string& detection_file,
                           double image_thre, const RecordOptions& options) {
  ImageTable table = load_images(annotation_file);
  const json detections = jf::parse_file(detection_file);
  if (!detections.is_array())
    throw UserError(cat("'", detection_file, "' must hold a list of detections, found ", detections.type_name()));
  for (std::size_t i = 0; i < detections.size(); ++i) {
    const json& det = detections[i];
    const std::string where = cat("'", detection_file, "' [", i, "]");
    const std::int64_t category = jf::integer(det, "category_id", where);
    const double score = jf::number(det, "score", where);
    const std::size_t image_index = table.find(jf::integer(det, "image_id", where), where, annotation_file);
    const std::vector<double> bbox = jf::numbers(det, "bbox", 4, where);
    if (category != kPersonCategory || score < image_thre) continue;
    // The raw box, unclipped, as the reference uses it.
    PersonRecord r = record_for_box(table.set.images[image_index], bbox[0], bbox[1], bbox[2], bbox[3], options);
    r.area = static_cast<float>(bbox[2] * bbox[3]);
    r.score = static_cast<float>(score);
    table.set.records[image_index].push_back(r);
  }
  return std::move(table.set);
}

}  // namespace pose
