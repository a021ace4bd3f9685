// Bad ground truth and results files: each is a UserError whose message names the file, the
// item (index and id) and what is wrong with it.
#include <gtest/gtest.h>

#include <string>

#include "coco_builders.h"
#include "core/error.h"

namespace pose {
namespace {

using test::gt_document;
using test::gt_person;
using test::result;
using test::standing_pose;

const test::Pose kPose = standing_pose(100, 50, 80, 200);

// The UserError message of `action`, or a failure when there is none.
template <typename Action>
std::string user_error_of(Action action) {
  try {
    action();
  } catch (const UserError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no UserError";
  return {};
}

void expect_contains(const std::string& message, const std::string& part) {
  EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' not in: " << message;
}

std::string gt_error(const std::string& text) {
  return user_error_of([&] { read_coco_gt(text, "g.json"); });
}

const CocoGroundTruth& one_image_gt() {
  static const CocoGroundTruth gt =
      read_coco_gt(gt_document(1, {gt_person(1, 1, kPose, 9600, {100, 50, 80, 200})}).dump(), "g.json");
  return gt;
}

std::string results_error(const std::string& text) {
  return user_error_of([&] { read_coco_results(text, "r.json", one_image_gt()); });
}

std::string results_error_of(const std::vector<nlohmann::json>& items) {
  return results_error(nlohmann::json(items).dump());
}

TEST(CocoGtInput, NotJson) {
  const std::string m = gt_error("{\"images\": [");
  expect_contains(m, "'g.json' is not valid JSON");
}

TEST(CocoGtInput, MissingList) {
  expect_contains(gt_error(R"({"annotations": [], "categories": []})"), "'g.json': 'images' is missing");
}

TEST(CocoGtInput, MissingFieldNamesTheAnnotation) {
  auto doc = gt_document(1, {gt_person(3, 1, kPose, 9600, {100, 50, 80, 200}), gt_person(7, 1, kPose, 9600, {100, 50, 80, 200})});
  doc["annotations"][1].erase("num_keypoints");
  const std::string m = gt_error(doc.dump());
  expect_contains(m, "'g.json' annotations[1] (id 7)");
  expect_contains(m, "'num_keypoints' is missing");
}

TEST(CocoGtInput, WrongKeypointCount) {
  auto doc = gt_document(1, {gt_person(3, 1, kPose, 9600, {100, 50, 80, 200})});
  doc["annotations"][0]["keypoints"].erase(50);
  const std::string m = gt_error(doc.dump());
  expect_contains(m, "annotations[0] (id 3)");
  expect_contains(m, "'keypoints' has 50 numbers, expected 51");
}

TEST(CocoGtInput, AnnotationOnAnUnlistedImage) {
  const std::string m = gt_error(gt_document(1, {gt_person(3, 9, kPose, 9600, {100, 50, 80, 200})}).dump());
  expect_contains(m, "annotations[0] (id 3): image_id 9 is not in the file's images");
}

TEST(CocoGtInput, NonNumericArea) {
  auto doc = gt_document(1, {gt_person(3, 1, kPose, 9600, {100, 50, 80, 200})});
  doc["annotations"][0]["area"] = "big";
  expect_contains(gt_error(doc.dump()), "'area' is not a number");
}

TEST(CocoResultsInput, NotAList) {
  expect_contains(results_error(R"({"image_id": 1})"), "'r.json': expected a list of keypoint results");
}

TEST(CocoResultsInput, ItemIsNotAnObject) {
  expect_contains(results_error("[1]"), "'r.json' [0]: expected a JSON object, found 1");
}

TEST(CocoResultsInput, MissingScoreNamesTheIndex) {
  auto bad = result(1, kPose, 0.5);
  bad.erase("score");
  expect_contains(results_error_of({result(1, kPose, 0.9), result(1, kPose, 0.8), bad}), "'r.json' [2]: 'score' is missing");
}

TEST(CocoResultsInput, WrongKeypointCount) {
  auto bad = result(1, kPose, 0.5);
  bad["keypoints"].push_back(1.0);
  expect_contains(results_error_of({bad}), "'r.json' [0]: 'keypoints' has 52 numbers, expected 51");
}

TEST(CocoResultsInput, KeypointThatIsNotANumber) {
  auto bad = result(1, kPose, 0.5);
  bad["keypoints"][3] = "a";
  expect_contains(results_error_of({bad}), "'r.json' [0]: 'keypoints'[3] is not a number (\"a\")");
}

TEST(CocoResultsInput, UnknownImage) {
  expect_contains(results_error_of({result(1, kPose, 0.9), result(99, kPose, 0.8)}),
                  "'r.json' [1]: image_id 99 is not an image of the ground truth 'g.json'");
}

TEST(CocoResultsInput, IdsMustBeWholeNumbers) {
  auto bad = result(1, kPose, 0.5);
  bad["image_id"] = 1.5;
  expect_contains(results_error_of({bad}), "'r.json' [0]: 'image_id' is not a whole number (1.5)");
  bad["image_id"] = 1.0;  // written as 1.0 by some tools: accepted
  EXPECT_EQ(read_coco_results(nlohmann::json::array({bad}).dump(), "r.json", one_image_gt()).size(), 1u);
}

TEST(CocoResultsInput, SyntaxErrorGivesLineAndColumn) {
  expect_contains(results_error("[\n  {\"image_id\": 1,}\n]"), "'r.json' is not valid JSON (line 2, column 18)");
}

TEST(CocoResultsInput, TextAfterTheList) {
  expect_contains(results_error("[] x"), "unexpected text after the end of the value");
}

TEST(CocoResultsInput, OnceTheFirstResultHasABoxEveryOneNeedsIt) {
  auto boxed = result(1, kPose, 0.9);
  boxed["bbox"] = {100, 50, 80, 200};
  expect_contains(results_error_of({boxed, result(1, kPose, 0.8)}), "'r.json' [1]: needs a 'bbox' of 4 numbers");
}

TEST(CocoResultsInput, ExtraFieldsAreIgnored) {
  auto item = result(1, kPose, 0.9);
  item["center"] = {140, 150};
  item["scale"] = {1.0, 1.25};
  item["note"] = {{"nested", {1, "two", nullptr, true}}};
  const auto detections = read_coco_results(nlohmann::json::array({item}).dump(), "r.json", one_image_gt());
  ASSERT_EQ(detections.size(), 1u);
  EXPECT_EQ(detections[0].score, 0.9);
  EXPECT_EQ(detections[0].keypoints[3], kPose[3]);
}

TEST(CocoResultsInput, AreaIsTheKeypointExtent) {
  test::Pose pose{};
  for (int k = 0; k < 17; ++k) {
    pose[3 * k] = 10 + k;       // x from 10 to 26
    pose[3 * k + 1] = 5 + 2 * k;  // y from 5 to 37
  }
  const auto detections = read_coco_results(nlohmann::json::array({result(1, pose, 0.9)}).dump(), "r.json", one_image_gt());
  EXPECT_EQ(detections[0].area, 16.0 * 32.0);
}

}  // namespace
}  // namespace pose
