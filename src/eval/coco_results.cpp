#include "eval/coco_results.h"

#include <algorithm>

#include "core/error.h"
#include "eval/json_cursor.h"
#include "io/file.h"

namespace pose {

namespace {

// At most this much of a bad value is quoted in a message.
constexpr std::size_t kQuoteLength = 60;

std::string quote(std::string_view text) {
  return text.size() <= kQuoteLength ? std::string(text) : std::string(text.substr(0, kQuoteLength)) + "...";
}

// One result object as read, before the checks that need all of its fields.
struct RawResult {
  bool has_image = false, has_category = false, has_score = false, has_keypoints = false;
  CocoDetection detection;
  // 'bbox': kNoBox when absent, kBadBox when not a list of numbers, else how many numbers.
  static constexpr int kNoBox = -1, kBadBox = -2;
  int box_count = kNoBox;
  double box[4] = {};
};

std::int64_t whole(JsonCursor& in, const std::string& key, const std::string& where) {
  std::int64_t value = 0;
  if (!in.whole_number(value))
    throw UserError(cat(where, ": '", key, "' is not a whole number (", quote(in.skip_value()), ")"));
  return value;
}

double number(JsonCursor& in, const std::string& key, const std::string& where) {
  if (!in.next_is_number()) throw UserError(cat(where, ": '", key, "' is not a number (", quote(in.skip_value()), ")"));
  return in.number();
}

// A list of numbers into out[0..capacity); returns how many there were (may exceed capacity).
std::size_t numbers(JsonCursor& in, const std::string& key, double* out, std::size_t capacity,
                    const std::string& where) {
  if (in.peek() != '[') throw UserError(cat(where, ": '", key, "' is not a list (", quote(in.skip_value()), ")"));
  in.begin_array();
  std::size_t count = 0;
  for (; in.next_element(); ++count) {
    if (!in.next_is_number())
      throw UserError(cat(where, ": '", key, "'[", count, "] is not a number (", quote(in.skip_value()), ")"));
    const double v = in.number();
    if (count < capacity) out[count] = v;
  }
  return count;
}

// Boxes are optional and only used when the first result has one, so a malformed box is
// recorded rather than refused here.
void read_box(JsonCursor& in, RawResult& r) {
  if (in.peek() != '[') {
    in.skip_value();
    r.box_count = RawResult::kBadBox;
    return;
  }
  in.begin_array();
  int count = 0;
  bool all_numbers = true;
  for (; in.next_element(); ++count) {
    if (!in.next_is_number()) {
      in.skip_value();
      all_numbers = false;
    } else if (count < 4) {
      r.box[count] = in.number();
    } else {
      in.number();
    }
  }
  r.box_count = all_numbers ? count : RawResult::kBadBox;
}

RawResult read_result(JsonCursor& in, const std::string& where) {
  if (in.peek() != '{') throw UserError(cat(where, ": expected a JSON object, found ", quote(in.skip_value())));
  RawResult r;
  CocoDetection& d = r.detection;
  in.begin_object();
  for (std::string key; in.next_key(key);) {
    if (key == "image_id") {
      d.image_id = whole(in, key, where);
      r.has_image = true;
    } else if (key == "category_id") {
      d.category_id = whole(in, key, where);
      r.has_category = true;
    } else if (key == "score") {
      d.score = number(in, key, where);
      r.has_score = true;
    } else if (key == "keypoints") {
      const std::size_t n = numbers(in, key, d.keypoints.data(), d.keypoints.size(), where);
      if (n != d.keypoints.size())
        throw UserError(cat(where, ": 'keypoints' has ", n, " numbers, expected ", coco::kKeypointValues));
      r.has_keypoints = true;
    } else if (key == "bbox") {
      read_box(in, r);
    } else {
      in.skip_value();
    }
  }
  for (const auto& [present, key] : {std::pair{r.has_image, "image_id"}, std::pair{r.has_category, "category_id"},
                                     std::pair{r.has_keypoints, "keypoints"}, std::pair{r.has_score, "score"}})
    if (!present) throw UserError(cat(where, ": '", key, "' is missing"));
  return r;
}

double keypoint_extent_area(const std::array<double, coco::kKeypointValues>& keypoints) {
  double x0 = keypoints[0], x1 = keypoints[0], y0 = keypoints[1], y1 = keypoints[1];
  for (int k = 1; k < coco::kJoints; ++k) {
    x0 = std::min(x0, keypoints[3 * k]);
    x1 = std::max(x1, keypoints[3 * k]);
    y0 = std::min(y0, keypoints[3 * k + 1]);
    y1 = std::max(y1, keypoints[3 * k + 1]);
  }
  return (x1 - x0) * (y1 - y0);
}

}  // namespace

std::vector<CocoDetection> read_coco_results(const std::string& json_text, const std::string& source,
                                             const CocoGroundTruth& gt) {
  JsonCursor in(json_text, source);
  if (in.peek() != '[')
    throw UserError(cat("'", source, "': expected a list of keypoint results, found ", quote(in.skip_value())));
  in.begin_array();
  std::vector<CocoDetection> detections;
  bool boxes = false;
  for (std::size_t i = 0; in.next_element(); ++i) {
    const std::string where = cat("'", source, "' [", i, "]");
    RawResult r = read_result(in, where);
    CocoDetection& d = r.detection;
    if (!gt.has_image(d.image_id))
      throw UserError(cat(where, ": image_id ", d.image_id, " is not an image of the ground truth '", gt.source, "'"));
    // loadRes takes its box path when the first result has a 'bbox' other than [].
    if (i == 0) boxes = r.box_count != RawResult::kNoBox && r.box_count != 0;
    if (boxes) {
      if (r.box_count != 4)
        throw UserError(cat(where, ": needs a 'bbox' of 4 numbers, because the first result has one (its w * h is "
                                   "then the area, as in pycocotools)"));
      d.area = r.box[2] * r.box[3];
    } else {
      d.area = keypoint_extent_area(d.keypoints);
    }
    detections.push_back(d);
  }
  in.expect_end();
  return detections;
}

std::vector<CocoDetection> load_coco_results(const std::string& path, const CocoGroundTruth& gt) {
  return read_coco_results(read_text_file(path), path, gt);
}

}  // namespace pose
