// pose_coco_eval as a user runs it: the table, --json against pycocotools' numbers for a
// shared case, --help, and exit status 2 with a message for bad input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "../common/paths.h"
#include "../common/run_command.h"
#include "io/file.h"

namespace pose {
namespace {

using test::count_of;
using test::run_command;

std::string program() { return test::bin_dir() + "/pose_coco_eval"; }
std::string case_file(const std::string& name) { return test::test_data_dir() + "/coco_eval/" + name; }
std::string case_args(const std::string& id) {
  return " --gt " + case_file("gt_" + id + ".json") + " --results " + case_file("dt_" + id + ".json");
}

TEST(PoseCocoEvalProgram, JsonMatchesPycocotools) {
  const auto r = run_command(program() + case_args("02") + " --json");
  ASSERT_EQ(r.status, 0) << r.output;
  const auto got = nlohmann::json::parse(r.output);
  const auto expected = nlohmann::json::parse(read_text_file(case_file("expected_02.json")));
  ASSERT_EQ(got.size(), 10u) << r.output;
  for (const auto& [key, value] : expected.items())
    EXPECT_NEAR(got.at(key).get<double>(), value.get<double>(), 1e-9) << key;
}

TEST(PoseCocoEvalProgram, PrintsThePycocotoolsTable) {
  const auto r = run_command(program() + case_args("01"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(count_of(r.output, "\n"), 10) << r.output;
  EXPECT_NE(r.output.find(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets= 20 ] = 0.492\n"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find(" Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets= 20 ] = 0.567\n"),
            std::string::npos)
      << r.output;
}

TEST(PoseCocoEvalProgram, Help) {
  const auto r = run_command(program() + " --help");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("usage: pose_coco_eval --gt GT.json --results RESULTS.json"), std::string::npos);
}

TEST(PoseCocoEvalProgram, BadInputExitsWithStatus2AndSaysWhy) {
  const auto missing = run_command(program() + " --gt " + case_file("gt_01.json"));
  EXPECT_EQ(missing.status, 2) << missing.output;
  EXPECT_NE(missing.output.find("--results RESULTS.json are required"), std::string::npos) << missing.output;

  // Ground truth and results of different cases: image ids the GT does not have.
  const auto mixed = run_command(program() + " --gt " + case_file("gt_02.json") + " --results " + case_file("dt_03.json"));
  EXPECT_EQ(mixed.status, 2) << mixed.output;
  EXPECT_NE(mixed.output.find("is not an image of the ground truth"), std::string::npos) << mixed.output;

  const auto not_json = run_command(program() + " --gt " + case_file("README.md") + " --results " + case_file("dt_01.json"));
  EXPECT_EQ(not_json.status, 2) << not_json.output;
  EXPECT_NE(not_json.output.find("README.md' is not valid JSON"), std::string::npos) << not_json.output;

  const auto unknown = run_command(program() + " --frobnicate");
  EXPECT_EQ(unknown.status, 2) << unknown.output;
}

}  // namespace
}  // namespace pose
