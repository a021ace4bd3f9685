// The metric against pycocotools' own numbers on the shared reference cases
// (tests/data/coco_eval/README.md): basics, maxDets and score ties, several categories; and
// case 04 (tests/data/coco_eval/SOURCE.md): annotation ids given twice.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "../common/paths.h"
#include "eval/coco_eval.h"
#include "io/file.h"

namespace pose {
namespace {

// The README's bound for an independent implementation; this one sums like numpy and has
// matched to the last bit so far.
constexpr double kTolerance = 1e-9;

class CocoReferenceCase : public ::testing::TestWithParam<std::string> {};

TEST_P(CocoReferenceCase, AllTenStatsMatchPycocotools) {
  const std::string dir = test::test_data_dir() + "/coco_eval/";
  const std::string id = GetParam();
  const CocoGroundTruth gt = load_coco_gt(dir + "gt_" + id + ".json");
  const CocoKeypointStats stats = evaluate_coco_keypoints(gt, load_coco_results(dir + "dt_" + id + ".json", gt));
  const auto expected = nlohmann::json::parse(read_text_file(dir + "expected_" + id + ".json"));
  for (int i = 0; i < kCocoStatCount; ++i)
    EXPECT_NEAR(stats[i], expected.at(kCocoStatNames[i]).get<double>(), kTolerance) << kCocoStatNames[i];
}

INSTANTIATE_TEST_SUITE_P(SharedCases, CocoReferenceCase, ::testing::Values("01", "02", "03", "04"));

}  // namespace
}  // namespace pose
