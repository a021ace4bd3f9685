#include "eval/coco_gt.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/log.h"
#include "data/json_fields.h"
#include "io/file.h"

namespace pose {

namespace {

using nlohmann::json;
namespace jf = json_fields;

// Sorted, duplicates removed (pycocotools evaluates np.unique of the ids).
std::vector<std::int64_t> ids_of(const json& doc, const char* key, const std::string& source) {
  const json& items = jf::list(doc, key, cat("'", source, "'"));
  std::vector<std::int64_t> ids;
  ids.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i)
    ids.push_back(jf::integer(items[i], "id", cat("'", source, "' ", key, "[", i, "]")));
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

// iscrowd is 0/1 in COCO files; true/false is accepted too.
bool crowd_flag(const json& item, const std::string& where) {
  const auto it = item.find("iscrowd");
  if (it != item.end() && it->is_boolean()) return it->get<bool>();
  return jf::integer(item, "iscrowd", where) != 0;
}

CocoGtPerson read_person(const json& item, const std::string& where_index) {
  CocoGtPerson p;
  p.id = jf::integer(item, "id", where_index);
  const std::string where = cat(where_index, " (id ", p.id, ")");
  p.image_id = jf::integer(item, "image_id", where);
  p.category_id = jf::integer(item, "category_id", where);
  p.crowd = crowd_flag(item, where);
  p.ignore = p.crowd || jf::integer(item, "num_keypoints", where) == 0;
  p.area = jf::number(item, "area", where);
  const auto box = jf::numbers(item, "bbox", 4, where);
  std::copy(box.begin(), box.end(), p.box.begin());
  const auto keypoints = jf::numbers(item, "keypoints", coco::kKeypointValues, where);
  std::copy(keypoints.begin(), keypoints.end(), p.keypoints.begin());
  return p;
}

// pycocotools keeps one annotation per id (COCO.anns[id], the last of the file wins) and
// COCOeval reaches an image's annotations through their ids, image by image in id order (the
// category filter sees the annotation as listed). So with an id given twice, every image that
// lists the id gets the last annotation of that id, with that annotation's own image and
// category. `people` in file order; returns them as pycocotools evaluates them.
std::vector<CocoGtPerson> as_indexed_by_id(const std::vector<CocoGtPerson>& people,
                                           const std::vector<std::int64_t>& image_ids,
                                           const std::vector<std::int64_t>& category_ids) {
  std::map<std::int64_t, std::size_t> last;
  for (std::size_t i = 0; i < people.size(); ++i) last[people[i].id] = i;
  std::map<std::int64_t, std::vector<std::size_t>> listed_by_image;
  for (std::size_t i = 0; i < people.size(); ++i) listed_by_image[people[i].image_id].push_back(i);
  std::vector<CocoGtPerson> indexed;
  for (const std::int64_t image : image_ids) {
    const auto it = listed_by_image.find(image);
    if (it == listed_by_image.end()) continue;
    for (const std::size_t i : it->second)
      if (std::binary_search(category_ids.begin(), category_ids.end(), people[i].category_id))
        indexed.push_back(people[last[people[i].id]]);
  }
  return indexed;
}

}  // namespace

bool CocoGroundTruth::has_image(std::int64_t image_id) const {
  return std::binary_search(image_ids.begin(), image_ids.end(), image_id);
}

std::size_t CocoGroundTruth::image_index(std::int64_t image_id) const {
  const auto it = std::lower_bound(image_ids.begin(), image_ids.end(), image_id);
  POSE_CHECK(it != image_ids.end() && *it == image_id, "image ", image_id, " is not in ", source);
  return static_cast<std::size_t>(it - image_ids.begin());
}

CocoGroundTruth read_coco_gt(const std::string& json_text, const std::string& source) {
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::exception& e) {
    // parse_error, and out_of_range for a number beyond a double (1e400).
    throw UserError(cat("'", source, "' is not valid JSON: ", e.what()));
  }
  CocoGroundTruth gt;
  gt.source = source;
  gt.image_ids = ids_of(doc, "images", source);
  gt.category_ids = ids_of(doc, "categories", source);
  const json& annotations = jf::list(doc, "annotations", cat("'", source, "'"));
  gt.people.reserve(annotations.size());
  for (std::size_t i = 0; i < annotations.size(); ++i) {
    CocoGtPerson p = read_person(annotations[i], cat("'", source, "' annotations[", i, "]"));
    if (!gt.has_image(p.image_id))
      throw UserError(cat("'", source, "' annotations[", i, "] (id ", p.id, "): image_id ", p.image_id,
                          " is not in the file's images"));
    gt.people.push_back(p);
  }
  std::map<std::int64_t, std::size_t> uses;
  for (const CocoGtPerson& p : gt.people) ++uses[p.id];
  std::size_t repeated = 0;
  std::int64_t example = 0;
  for (const auto& [id, count] : uses)
    if (count > 1 && repeated++ == 0) example = id;
  if (repeated > 0) {
    log::warn("'", source, "': ", repeated, " annotation id(s) appear more than once (e.g. id ", example,
              "); scored as pycocotools does, where each such id stands for the last annotation carrying it");
    gt.people = as_indexed_by_id(gt.people, gt.image_ids, gt.category_ids);
  }
  return gt;
}

CocoGroundTruth load_coco_gt(const std::string& path) { return read_coco_gt(read_text_file(path), path); }

}  // namespace pose
