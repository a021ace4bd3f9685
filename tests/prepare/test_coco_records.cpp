// COCO annotations -> records by the rules of docs/reference_behaviour.md section 1: counts and hand-worked
// centre/scale on the real sample, each filtering and clipping rule on small made-up files,
// detector boxes, and malformed files named down to the item.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "data/coco_records.h"
#include "io/file.h"
#include "prepare_fixture.h"

namespace pose {
namespace {

using test::sample_annotations;
using test::sample_detections;

const PersonRecord* find_annotation(const RecordSet& set, std::int64_t annotation_id) {
  for (const auto& records : set.records)
    for (const auto& r : records)
      if (r.annotation_id == annotation_id) return &r;
  return nullptr;
}

class CocoRecordsTest : public test::PrepareFixture {
 protected:
  std::string file(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    write_text_file(path, text);
    return path;
  }

  // The UserError message of gt_records on `text`, or "" when it does not throw one.
  std::string gt_error(const std::string& text) {
    try {
      gt_records(file("bad.json", text), {});
    } catch (const UserError& e) {
      return e.what();
    }
    return "";
  }
};

TEST_F(CocoRecordsTest, SampleGroundTruthCountFollowsTheReferenceRules) {
  // By hand from the JSON: 14 annotations, none crowd, all area > 0, all boxes inside their
  // image. Annotations 1202706 (image 40083) and 508900 (image 196141) have 51 zero keypoint
  // numbers and are dropped: 14 - 2 = 12 records, 1 + 2 + 4 + 5 per image in file order.
  const RecordSet set = gt_records(sample_annotations(), {});
  ASSERT_EQ(set.images.size(), 4u);
  EXPECT_EQ(set.images[0].id, 785);
  EXPECT_EQ(set.images[3].id, 197388);
  EXPECT_EQ(set.num_records(), 12u);
  EXPECT_EQ(set.records[0].size(), 1u);
  EXPECT_EQ(set.records[1].size(), 2u);
  EXPECT_EQ(set.records[2].size(), 4u);
  EXPECT_EQ(set.records[3].size(), 5u);
  EXPECT_EQ(find_annotation(set, 1202706), nullptr);
  EXPECT_EQ(find_annotation(set, 508900), nullptr);
}

TEST_F(CocoRecordsTest, SampleCentresAndScalesMatchHandWorkedNumbers) {
  const RecordSet set = gt_records(sample_annotations(), {});

  // 442619 on image 785 (640x425): bbox [280.79, 44.73, 218.7, 346.68].
  // x2 = min(639, 280.79 + 217.7) = 498.49, y2 = min(424, 44.73 + 345.68) = 390.41,
  // clean box [280.79, 44.73, 217.7, 345.68], centre (389.64, 217.57).
  // 217.7 < 0.75 * 345.68 = 259.26, so w = 259.26: scale (1.620375, 2.1605).
  const PersonRecord* r = find_annotation(set, 442619);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->image_id, 785);
  EXPECT_EQ(r->image_width, 640);
  EXPECT_EQ(r->image_height, 425);
  EXPECT_NEAR(r->box[0], 280.79, 1e-4);
  EXPECT_NEAR(r->box[2], 217.7, 1e-4);
  EXPECT_NEAR(r->box[3], 345.68, 1e-4);
  EXPECT_NEAR(r->center[0], 389.64, 1e-4);
  EXPECT_NEAR(r->center[1], 217.57, 1e-4);
  EXPECT_NEAR(r->scale[0], 1.620375, 1e-6);
  EXPECT_NEAR(r->scale[1], 2.1605, 1e-6);
  EXPECT_NEAR(r->area, 27789.11055, 1e-2);
  EXPECT_EQ(r->score, 1.0f);
  EXPECT_EQ(r->joints[0].x, 367);  // keypoints start [367, 81, 2, ...]
  EXPECT_EQ(r->joints[0].y, 81);
  EXPECT_EQ(r->joints[0].visibility, 2);

  // 198196 on image 40083 (500x333): bbox [38.08, 110.95, 174.71, 174.71], a square.
  // Clean w = h = 173.71, centre (124.935, 197.805). 173.71 > 0.75 * 173.71, so
  // h = 173.71 / 0.75 = 231.61333: scale (1.0856875, 1.4475833).
  r = find_annotation(set, 198196);
  ASSERT_NE(r, nullptr);
  EXPECT_NEAR(r->center[0], 124.935, 1e-4);
  EXPECT_NEAR(r->center[1], 197.805, 1e-4);
  EXPECT_NEAR(r->scale[0], 1.0856875, 1e-6);
  EXPECT_NEAR(r->scale[1], 1.4475833, 1e-6);

  // 543117 on image 197388 (640x392): bbox [0.5, 43.74, 90.1, 220.09].
  // Clean box [0.5, 43.74, 89.1, 219.09], centre (45.05, 153.285); w = 0.75 * 219.09 = 164.3175:
  // scale (1.02698438, 1.3693125).
  r = find_annotation(set, 543117);
  ASSERT_NE(r, nullptr);
  EXPECT_NEAR(r->center[0], 45.05, 1e-4);
  EXPECT_NEAR(r->center[1], 153.285, 1e-4);
  EXPECT_NEAR(r->scale[0], 1.02698438, 1e-6);
  EXPECT_NEAR(r->scale[1], 1.3693125, 1e-6);
}

TEST_F(CocoRecordsTest, InputAspectIsAParameter) {
  // A square network input keeps 442619's height and widens w to it: w = h = 345.68.
  const RecordSet set = gt_records(sample_annotations(), {256, 256});
  const PersonRecord* r = find_annotation(set, 442619);
  ASSERT_NE(r, nullptr);
  EXPECT_NEAR(r->scale[0], 2.1605, 1e-6);
  EXPECT_NEAR(r->scale[1], 2.1605, 1e-6);
}

TEST_F(CocoRecordsTest, EachFilteringAndClippingRule) {
  // Images in a non-sorted order (5, then 1), to check that file order is kept. Image 1 is
  // 100x50. "ok" keypoints: one labelled joint, v = 1 (stored as is; the loader maps v to 0/1).
  std::string ok = "[10, 20, 1";
  for (int i = 3; i < 51; ++i) ok += ", 0";
  ok += "]";
  std::string none = "[0";
  for (int i = 1; i < 51; ++i) none += ", 0";
  none += "]";
  auto ann = [&](int id, const std::string& bbox, const std::string& extra, const std::string& keypoints,
                 int category = 1) {
    return "{\"id\": " + std::to_string(id) + ", \"image_id\": 1, \"category_id\": " + std::to_string(category) +
           ", \"bbox\": " + bbox + ", \"keypoints\": " + keypoints + ", " + extra + "}";
  };
  const std::string text =
      "{\"images\": [{\"id\": 5, \"width\": 10, \"height\": 10}, {\"id\": 1, \"width\": 100, \"height\": 50}],"
      " \"annotations\": [" +
      ann(1, "[-10, -5, 60, 30]", "\"iscrowd\": 0, \"area\": 100", ok) + ", " +  // clipped at the top left
      ann(2, "[80, 40, 50, 30]", "\"iscrowd\": 0, \"area\": 100", ok) + ", " +    // clipped at the bottom right
      ann(3, "[10, 10, 20, 20]", "\"iscrowd\": 1, \"area\": 100", ok) + ", " +    // crowd
      ann(4, "[10, 10, 20, 20]", "\"iscrowd\": 0, \"area\": 0", ok) + ", " +      // area 0
      ann(5, "[10, 10, 20, 20]", "\"iscrowd\": 0, \"area\": 100", none) + ", " +  // no labelled keypoint
      ann(6, "[120, 10, 5, 5]", "\"iscrowd\": 0, \"area\": 100", ok) + ", " +     // right of the image
      ann(7, "[10, 10, 0.5, 0.5]", "\"area\": 1", ok) + ", " +                    // under 1 pixel; iscrowd absent
      ann(8, "[10, 10, 20, 20]", "\"iscrowd\": 0, \"area\": 100", ok, 2) +  // not a person
      "]}";
  const RecordSet set = gt_records(file("rules.json", text), {});
  ASSERT_EQ(set.images.size(), 2u);
  EXPECT_EQ(set.images[0].id, 5);
  EXPECT_TRUE(set.records[0].empty());
  ASSERT_EQ(set.records[1].size(), 3u);  // annotations 1, 2 and 7

  // 1: x1 = max(0, -10) = 0, y1 = 0, x2 = min(99, 0 + 59) = 59, y2 = min(49, 0 + 29) = 29:
  // the clip moves x1 but keeps w - 1, so the box is [0, 0, 59, 29] (not 49 wide).
  // Centre (29.5, 14.5); 59 > 0.75 * 29, so h = 59 / 0.75: scale (0.36875, 0.49166667).
  const PersonRecord& a = set.records[1][0];
  EXPECT_EQ(a.annotation_id, 1);
  EXPECT_EQ(a.box, (std::array<float, 4>{0, 0, 59, 29}));
  EXPECT_FLOAT_EQ(a.center[0], 29.5f);
  EXPECT_FLOAT_EQ(a.center[1], 14.5f);
  EXPECT_NEAR(a.scale[0], 0.36875, 1e-6);
  EXPECT_NEAR(a.scale[1], 0.49166667, 1e-6);
  EXPECT_EQ(a.joints[0].visibility, 1);
  EXPECT_EQ(a.joints[1].x, 0);

  // 2: x2 = min(99, 80 + 49) = 99, y2 = min(49, 40 + 29) = 49: box [80, 40, 19, 9],
  // centre (89.5, 44.5), h = 19 / 0.75: scale (0.11875, 0.15833333).
  const PersonRecord& b = set.records[1][1];
  EXPECT_EQ(b.annotation_id, 2);
  EXPECT_EQ(b.box, (std::array<float, 4>{80, 40, 19, 9}));
  EXPECT_FLOAT_EQ(b.center[0], 89.5f);
  EXPECT_NEAR(b.scale[0], 0.11875, 1e-6);
  EXPECT_NEAR(b.scale[1], 0.15833333, 1e-6);

  // 7: w - 1 < 0 gives x2 = x1: an empty box is kept (x2 >= x1), with scale 0, as in the
  // reference; the loader's record check refuses it later.
  const PersonRecord& c = set.records[1][2];
  EXPECT_EQ(c.annotation_id, 7);
  EXPECT_EQ(c.box, (std::array<float, 4>{10, 10, 0, 0}));
  EXPECT_EQ(c.scale, (std::array<float, 2>{0, 0}));
}

TEST_F(CocoRecordsTest, SampleDetectionsAboveTheThreshold) {
  // The file holds 118 detections, all category 1 (22/26/33/37 for the 4 images, in file order
  // of the annotation file's images). 18 of them score >= 0.5 (counted in the JSON: the 18th
  // highest score is 0.58195, the 19th 0.49461).
  const RecordSet all = detector_records(sample_annotations(), sample_detections(), 0.0, {});
  EXPECT_EQ(all.num_records(), 118u);
  EXPECT_EQ(all.records[0].size(), 22u);
  EXPECT_EQ(all.records[3].size(), 37u);
  EXPECT_EQ(detector_records(sample_annotations(), sample_detections(), 0.5, {}).num_records(), 18u);

  // The first detection, image 785: bbox [277.1183158543966, 45.699667786163765,
  // 225.09126579259754, 333.5602652943344], score 0.9999731779098511. Raw box, no clipping:
  // centre (x + w/2, y + h/2) = (389.66395, 212.47980); 225.09 < 0.75 * 333.56 = 250.17, so
  // scale (250.17020 / 200 * 1.25, 333.56027 / 200 * 1.25) = (1.5635637, 2.0847517).
  const PersonRecord& r = all.records[0][0];
  EXPECT_EQ(r.image_id, 785);
  EXPECT_EQ(r.annotation_id, -1);
  EXPECT_NEAR(r.center[0], 389.66395, 1e-3);
  EXPECT_NEAR(r.center[1], 212.47980, 1e-3);
  EXPECT_NEAR(r.scale[0], 1.5635637, 1e-6);
  EXPECT_NEAR(r.scale[1], 2.0847517, 1e-6);
  EXPECT_NEAR(r.box[2], 225.09126579259754, 1e-4);
  EXPECT_NEAR(r.area, 225.09126579259754 * 333.5602652943344, 1e-1);
  EXPECT_FLOAT_EQ(r.score, 0.9999731779098511f);
  for (const Joint& j : r.joints) EXPECT_EQ(j.x + j.y + j.visibility, 0);
}

TEST_F(CocoRecordsTest, DetectionRulesOnAMadeUpFile) {
  const std::string annotations =
      file("a.json", R"({"images": [{"id": 1, "width": 100, "height": 50}], "annotations": []})");
  const std::string detections = file("d.json", R"([
    {"image_id": 1, "category_id": 1, "bbox": [-20, -10, 200, 100], "score": 0.3},
    {"image_id": 1, "category_id": 2, "bbox": [0, 0, 10, 10], "score": 0.9},
    {"image_id": 1, "category_id": 1, "bbox": [0, 0, 10, 10], "score": 0.1}])");
  const RecordSet set = detector_records(annotations, detections, 0.2, {});
  ASSERT_EQ(set.num_records(), 1u);  // the category-2 box and the 0.1 box are left out
  const PersonRecord& r = set.records[0][0];
  EXPECT_EQ(r.box, (std::array<float, 4>{-20, -10, 200, 100}));  // not clipped to the image
  EXPECT_FLOAT_EQ(r.center[0], 80);
  EXPECT_FLOAT_EQ(r.center[1], 40);
  EXPECT_FLOAT_EQ(r.area, 20000);

  // A detection on an image the annotation file does not have: the files do not match.
  const std::string stray = file("s.json", R"([{"image_id": 9, "category_id": 1, "bbox": [0, 0, 1, 1], "score": 1}])");
  try {
    detector_records(annotations, stray, 0.0, {});
    FAIL() << "a detection on an unknown image must be refused";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("image_id 9 is not in"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("s.json' [0]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(detector_records(annotations, file("o.json", "{}"), 0.0, {}), UserError);
}

TEST_F(CocoRecordsTest, MalformedAnnotationsNameTheFileAndTheItem) {
  const std::string image = R"({"images": [{"id": 1, "width": 10, "height": 10}], "annotations": [)";
  std::string kp50 = "[1";
  for (int i = 1; i < 50; ++i) kp50 += ", 0";
  kp50 += "]";
  const std::string kp51 = kp50.substr(0, kp50.size() - 1) + ", 0]";
  auto item = [](const std::string& fields) {
    return R"({"id": 442619, "image_id": 1, "category_id": 1, "iscrowd": 0, )" + fields + "}";
  };
  const std::string ok = item(R"("area": 5, "bbox": [0, 0, 5, 5], "keypoints": )" + kp51);

  std::string msg = gt_error(image + ok + ", " + item(R"("area": 5, "bbox": [0, 0, 5, 5], "keypoints": )" + kp50) + "]}");
  EXPECT_NE(msg.find("bad.json' annotations[1] (id 442619): 'keypoints' has 50 numbers, expected 51"),
            std::string::npos)
      << msg;
  msg = gt_error(image + item(R"("area": 5, "bbox": [0, 0, "5", 5], "keypoints": )" + kp51) + "]}");
  EXPECT_NE(msg.find("annotations[0] (id 442619): 'bbox'[2] is not a number (\"5\")"), std::string::npos) << msg;
  msg = gt_error(image + item(R"("bbox": [0, 0, 5, 5], "keypoints": )" + kp51) + "]}");
  EXPECT_NE(msg.find("annotations[0] (id 442619): 'area' is missing"), std::string::npos) << msg;
  msg = gt_error(image + R"({"image_id": 1}]})");
  EXPECT_NE(msg.find("annotations[0]: 'id' is missing"), std::string::npos) << msg;
  msg = gt_error(image + item(R"("iscrowd": "no", "area": 5, "bbox": [0, 0, 5, 5], "keypoints": )" + kp51) + "]}");
  EXPECT_NE(msg.find("'iscrowd' is not a whole number"), std::string::npos) << msg;
  msg = gt_error(image + R"({"id": 3, "image_id": 99}]})");
  EXPECT_NE(msg.find("annotations[0] (id 3): image_id 99 is not in"), std::string::npos) << msg;
  msg = gt_error(R"({"images": [{"id": 1, "width": 0, "height": 10}], "annotations": []})");
  EXPECT_NE(msg.find("images[0] (id 1): size 0x10"), std::string::npos) << msg;
  msg = gt_error(R"({"images": [{"id": 1, "width": 10, "height": 10}, {"id": 1, "width": 10, "height": 10}], "annotations": []})");
  EXPECT_NE(msg.find("images[1]: image id 1 appears twice"), std::string::npos) << msg;
  msg = gt_error(R"({"images": {}, "annotations": []})");
  EXPECT_NE(msg.find("'images' is not a list"), std::string::npos) << msg;
  msg = gt_error("{\"images\": [");
  EXPECT_NE(msg.find("bad.json' is not valid JSON"), std::string::npos) << msg;
  msg = gt_error("[1, 2]");
  EXPECT_NE(msg.find("expected a JSON object"), std::string::npos) << msg;
  EXPECT_THROW(gt_records((dir_ / "missing.json").string(), {}), UserError);
}

}  // namespace
}  // namespace pose
