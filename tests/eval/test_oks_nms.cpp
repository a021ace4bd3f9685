// OKS-NMS against the reference's keep lists (tests/data/oks_nms, README there), rescoring,
// and the per-image selection that feeds the results file.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "../common/paths.h"
#include "eval/oks.h"
#include "eval/oks_nms.h"
#include "eval/rescore.h"
#include "eval/select_predictions.h"
#include "io/file.h"

namespace pose {
namespace {

class OksNmsCase : public ::testing::TestWithParam<std::string> {
 protected:
  nlohmann::json load() const {
    return nlohmann::json::parse(read_text_file(test::test_data_dir() + "/oks_nms/nms_" + GetParam() + ".json"));
  }
};

std::vector<PosePrediction> poses_of(const nlohmann::json& doc) {
  std::vector<PosePrediction> poses;
  for (const auto& d : doc.at("detections")) {
    PosePrediction p;
    const auto keypoints = d.at("keypoints").get<std::vector<double>>();
    EXPECT_EQ(keypoints.size(), 51u);
    std::copy(keypoints.begin(), keypoints.end(), p.keypoints.begin());
    p.area = d.at("area").get<double>();
    p.score = d.at("score").get<double>();
    poses.push_back(p);
  }
  return poses;
}

std::optional<double> candidate_threshold(const nlohmann::json& doc) {
  const auto& t = doc.at("in_vis_thre");
  return t.is_null() ? std::nullopt : std::optional<double>(t.get<double>());
}

TEST_P(OksNmsCase, UsesTheSameSigmas) {
  const auto sigmas = load().at("sigmas").get<std::vector<double>>();
  ASSERT_EQ(sigmas.size(), 17u);
  for (int k = 0; k < 17; ++k) EXPECT_EQ((sigmas[k] * 2) * (sigmas[k] * 2), coco_oks_variances()[k]) << k;
}

TEST_P(OksNmsCase, KeepsWhatTheReferenceKeeps) {
  const auto doc = load();
  const auto poses = poses_of(doc);
  const auto keep = oks_nms(poses, doc.at("thresh").get<double>(), candidate_threshold(doc));
  EXPECT_EQ(keep, doc.at("keep").get<std::vector<std::size_t>>());
}

INSTANTIATE_TEST_SUITE_P(SharedCases, OksNmsCase, ::testing::Values("01", "02", "03", "04", "05", "06", "07"));

// Cases with at most 12 detections carry the OKS of every (kept, candidate) pair.
TEST(OksNms, PairOksMatchesTheReferenceMatrices) {
  int matrices = 0;
  for (const char* id : {"01", "02", "03", "04", "05", "06", "07"}) {
    const auto doc = nlohmann::json::parse(read_text_file(test::test_data_dir() + "/oks_nms/nms_" + id + ".json"));
    if (!doc.contains("oks")) continue;
    ++matrices;
    const auto poses = poses_of(doc);
    const auto& matrix = doc.at("oks");
    for (std::size_t i = 0; i < poses.size(); ++i)
      for (std::size_t j = 0; j < poses.size(); ++j)
        EXPECT_NEAR(oks_between_poses(poses[i].keypoints.data(), poses[i].area, poses[j].keypoints.data(),
                                      poses[j].area, candidate_threshold(doc)),
                    matrix.at(i).at(j).get<double>(), 1e-12)
            << "case " << id << " (" << i << ", " << j << ")";
  }
  EXPECT_EQ(matrices, 5);  // cases 01, 02, 03, 04 and 06
}

PosePrediction pose_at(std::int64_t image, double x, double y, double score, double joint_score = 0.9) {
  PosePrediction p;
  p.image_id = image;
  for (int k = 0; k < 17; ++k) {
    p.keypoints[3 * k] = x + 3 * k;
    p.keypoints[3 * k + 1] = y + 5 * k;
    p.keypoints[3 * k + 2] = joint_score;
  }
  p.area = 100 * 200;
  p.score = score;
  return p;
}

TEST(OksNms, AnExactlyEqualOksSurvives) {
  // Two identical poses have OKS exactly 1: a threshold of 1 keeps both, anything lower only
  // the better one.
  const std::vector<PosePrediction> poses = {pose_at(1, 10, 10, 0.5), pose_at(1, 10, 10, 0.8)};
  EXPECT_EQ(oks_nms(poses, 1.0), (std::vector<std::size_t>{1, 0}));
  EXPECT_EQ(oks_nms(poses, 0.999), (std::vector<std::size_t>{1}));
}

TEST(OksNms, EmptyInputKeepsNothing) { EXPECT_TRUE(oks_nms({}, 0.9).empty()); }

TEST(Rescore, MeanOfConfidentJointsTimesBoxScore) {
  PosePrediction p = pose_at(1, 0, 0, 0.5);
  for (int k = 0; k < 17; ++k) p.keypoints[3 * k + 2] = k < 4 ? 0.8 : (k < 6 ? 0.2 : 0.1);  // 0.2 is not > 0.2
  EXPECT_DOUBLE_EQ(keypoint_score(p, 0.2), 0.8);
  EXPECT_DOUBLE_EQ(rescored(p, 0.2), 0.4);
  for (int k = 0; k < 17; ++k) p.keypoints[3 * k + 2] = 0.1;
  EXPECT_EQ(rescored(p, 0.2), 0.0);
}

TEST(SelectPredictions, RescoresThenSuppressesPerImage) {
  // Image 7 appears first; its two near-identical poses collapse to the better rescored one.
  // The same pose in image 3 is not compared with image 7's.
  const std::vector<PosePrediction> poses = {pose_at(7, 10, 10, 0.9, 0.5), pose_at(3, 10, 10, 0.6, 0.5),
                                             pose_at(7, 10.5, 10, 0.8, 1.0), pose_at(7, 400, 10, 0.7, 1.0)};
  const auto kept = select_predictions(poses, 0.2, 0.9);
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0].image_id, 7);
  EXPECT_DOUBLE_EQ(kept[0].score, 0.8);   // 1.0 x 0.8 beats 0.5 x 0.9
  EXPECT_EQ(kept[0].keypoints[0], 10.5);
  EXPECT_EQ(kept[1].image_id, 7);
  EXPECT_DOUBLE_EQ(kept[1].score, 0.7);
  EXPECT_EQ(kept[2].image_id, 3);
  EXPECT_DOUBLE_EQ(kept[2].score, 0.3);
}

}  // namespace
}  // namespace pose
