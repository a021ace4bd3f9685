#include "data/coco_records.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "core/error.h"
#include "io/file.h"

namespace pose {
namespace {

using nlohmann::json;

json parse_json(const std::string& path) {
  try {
    return json::parse(read_text_file(path));
  } catch (const json::parse_error& e) {
    throw UserError(cat("'", path, "' is not valid JSON: ", e.what()));
  }
}

// item[key] as a number, or a UserError naming the file, the item and the key.
double number(const json& item, const char* key, const std::string& where) {
  const auto it = item.find(key);
  if (it == item.end() || !it->is_number()) throw UserError(cat(where, ": '", key, "' is missing or not a number"));
  return it->get<double>();
}

const json& array_of(const json& doc, const char* key, const std::string& where) {
  const auto it = doc.find(key);
  if (it == doc.end() || !it->is_array()) throw UserError(cat(where, ": '", key, "' is missing or not a list"));
  return *it;
}

std::vector<double> numbers(const json& item, const char* key, std::size_t count, const std::string& where) {
  const auto it = item.find(key);
  if (it == item.end() || !it->is_array() || it->size() != count)
    throw UserError(cat(where, ": '", key, "' must be a list of ", count, " numbers"));
  std::vector<double> values;
  for (const json& v : *it) {
    if (!v.is_number()) throw UserError(cat(where, ": '", key, "' holds a non-number"));
    values.push_back(v.get<double>());
  }
  return values;
}

struct Annotations {
  RecordSet set;
  std::unordered_map<std::int64_t, std::size_t> image_index;  // image id -> position
  json doc;
};

Annotations load_images(const std::string& path) {
  Annotations a;
  a.doc = parse_json(path);
  const json& images = array_of(a.doc, "images", "'" + path + "'");
  for (std::size_t i = 0; i < images.size(); ++i) {
    const std::string where = cat("'", path, "' images[", i, "]");
    CocoImage image{static_cast<std::int64_t>(number(images[i], "id", where)),
                    static_cast<int>(number(images[i], "width", where)),
                    static_cast<int>(number(images[i], "height", where))};
    if (!a.image_index.emplace(image.id, i).second) throw UserError(cat(where, ": image id ", image.id, " repeats"));
    a.set.images.push_back(image);
  }
  a.set.records.resize(a.set.images.size());
  return a;
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
  scale = {static_cast<float>(w / kPixelStd * 1.25), static_cast<float>(h / kPixelStd * 1.25)};
}

RecordSet gt_records(const std::string& annotation_file, const RecordOptions& options) {
  Annotations a = load_images(annotation_file);
  const json& annotations = array_of(a.doc, "annotations", "'" + annotation_file + "'");
  for (std::size_t i = 0; i < annotations.size(); ++i) {
    const json& ann = annotations[i];
    const std::string where = cat("'", annotation_file, "' annotations[", i, "]");
    const auto id = static_cast<std::int64_t>(number(ann, "id", where));
    const std::string item = cat(where, " (id ", id, ")");
    const auto image_id = static_cast<std::int64_t>(number(ann, "image_id", item));
    const auto found = a.image_index.find(image_id);
    if (found == a.image_index.end()) throw UserError(cat(item, ": image_id ", image_id, " is not in 'images'"));
    if (ann.value("iscrowd", 0) != 0) continue;
    if (static_cast<int>(number(ann, "category_id", item)) != 1) continue;
    const CocoImage& image = a.set.images[found->second];
    const std::vector<double> box = numbers(ann, "bbox", 4, item);
    const std::vector<double> keypoints = numbers(ann, "keypoints", 3 * kCocoJoints, item);
    // Box sanitation of the reference: clip to the image, 1 pixel narrower than COCO's w, h.
    const double x1 = std::max(0.0, box[0]), y1 = std::max(0.0, box[1]);
    const double x2 = std::min(image.width - 1.0, x1 + std::max(0.0, box[2] - 1));
    const double y2 = std::min(image.height - 1.0, y1 + std::max(0.0, box[3] - 1));
    if (!(number(ann, "area", item) > 0 && x2 >= x1 && y2 >= y1)) continue;
    if (*std::max_element(keypoints.begin(), keypoints.end()) == 0) continue;

    PersonRecord r;
    r.image_id = image_id;
    r.annotation_id = id;
    r.image_width = image.width;
    r.image_height = image.height;
    r.box = {static_cast<float>(x1), static_cast<float>(y1), static_cast<float>(x2 - x1), static_cast<float>(y2 - y1)};
    box_to_center_scale(x1, y1, x2 - x1, y2 - y1, options, r.center, r.scale);
    r.area = static_cast<float>(number(ann, "area", item));
    r.score = 1;
    for (int k = 0; k < kCocoJoints; ++k)
      r.joints[static_cast<std::size_t>(k)] = {static_cast<float>(keypoints[3 * k]), static_cast<float>(keypoints[3 * k + 1]),
                                               static_cast<float>(keypoints[3 * k + 2])};
    a.set.records[found->second].push_back(r);
  }
  return std::move(a.set);
}

RecordSet detector_records(const std::string& annotation_file, const std::string& detection_file,
                           double image_thre, const RecordOptions& options) {
  Annotations a = load_images(annotation_file);
  const json detections = parse_json(detection_file);
  if (!detections.is_array()) throw UserError(cat("'", detection_file, "' must hold a list of detections"));
  for (std::size_t i = 0; i < detections.size(); ++i) {
    const json& det = detections[i];
    const std::string where = cat("'", detection_file, "' [", i, "]");
    if (static_cast<int>(number(det, "category_id", where)) != 1) continue;
    const double score = number(det, "score", where);
    if (score < image_thre) continue;
    const auto image_id = static_cast<std::int64_t>(number(det, "image_id", where));
    const auto found = a.image_index.find(image_id);
    if (found == a.image_index.end())
      throw UserError(cat(where, ": image_id ", image_id, " is not in '", annotation_file, "'"));
    const std::vector<double> box = numbers(det, "bbox", 4, where);
    const CocoImage& image = a.set.images[found->second];
    PersonRecord r;
    r.image_id = image_id;
    r.image_width = image.width;
    r.image_height = image.height;
    r.box = {static_cast<float>(box[0]), static_cast<float>(box[1]), static_cast<float>(box[2]), static_cast<float>(box[3])};
    box_to_center_scale(box[0], box[1], box[2], box[3], options, r.center, r.scale);
    r.area = static_cast<float>(box[2] * box[3]);
    r.score = static_cast<float>(score);
    a.set.records[found->second].push_back(r);
  }
  return std::move(a.set);
}

}  // namespace pose
