// The results file: the reference's fields, exact doubles, and a round trip through the
// metric's own reader.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "coco_builders.h"
#include "core/error.h"
#include "eval/results_writer.h"

namespace pose {
namespace {

PosePrediction prediction(std::int64_t image, double offset) {
  PosePrediction p;
  p.image_id = image;
  for (int k = 0; k < 17; ++k) {
    p.keypoints[3 * k] = 100.1 + k + offset;
    p.keypoints[3 * k + 1] = 50.0 / 3 + 2 * k;
    p.keypoints[3 * k + 2] = static_cast<float>(0.1 * k);  // a float maxval, as decoding yields
  }
  p.center = {140.5, 150.25};
  p.scale = {1.0, 4.0 / 3};
  p.area = 200 * 266.7;
  p.score = 0.123456789012345678;
  return p;
}

TEST(ResultsWriter, WritesTheReferenceFields) {
  const auto doc = nlohmann::json::parse(coco_results_json({prediction(42, 0)}));
  ASSERT_TRUE(doc.is_array());
  ASSERT_EQ(doc.size(), 1u);
  const auto& item = doc[0];
  EXPECT_EQ(item.at("image_id"), 42);
  EXPECT_EQ(item.at("category_id"), 1);
  EXPECT_EQ(item.at("keypoints").size(), 51u);
  EXPECT_EQ(item.at("score").get<double>(), 0.123456789012345678);
  EXPECT_EQ(item.at("center"), nlohmann::json({140.5, 150.25}));
  EXPECT_EQ(item.at("scale")[1].get<double>(), 4.0 / 3);
  EXPECT_FALSE(item.contains("area"));
}

TEST(ResultsWriter, RoundTripsThroughTheMetricReader) {
  const std::vector<PosePrediction> written = {prediction(1, 0), prediction(2, 7.5), prediction(1, 30)};
  const CocoGroundTruth gt = read_coco_gt(test::gt_document(2, {}).dump(), "gt.json");
  const auto read = read_coco_results(coco_results_json(written), "results.json", gt);
  ASSERT_EQ(read.size(), written.size());
  for (std::size_t i = 0; i < read.size(); ++i) {
    EXPECT_EQ(read[i].image_id, written[i].image_id);
    EXPECT_EQ(read[i].category_id, 1);
    EXPECT_EQ(read[i].score, written[i].score);
    for (int v = 0; v < 51; ++v) EXPECT_EQ(read[i].keypoints[v], written[i].keypoints[v]) << i << ", " << v;
  }
}

TEST(ResultsWriter, EmptyListIsValidJson) {
  EXPECT_EQ(nlohmann::json::parse(coco_results_json({})), nlohmann::json::array());
}

TEST(ResultsWriter, RefusesNonFiniteValues) {
  PosePrediction p = prediction(5, 0);
  p.keypoints[8] = std::numeric_limits<double>::quiet_NaN();
  try {
    coco_results_json({prediction(1, 0), p});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("prediction 1 (image 5) has a non-finite value in 'keypoints'"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace pose
