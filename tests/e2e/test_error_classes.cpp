// Bad input of every kind ends a program with exit status 2 and one line naming the file or
// key at fault, never "internal error" (status 1): numbers beyond a double in each JSON reader,
// a folder where a file belongs, a write that fails part-way (a file-size limit standing in
// for a full disk), sizes too large to allocate, a results folder that cannot be made.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "../common/paths.h"
#include "../common/run_command.h"

namespace pose {
namespace {

namespace fs = std::filesystem;
using test::run_command;

using test::bin;

using test::read_file;

class ErrorClasses : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pose_test_error_classes_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A copy of the small COCO sample whose `file` (relative to the sample) had its first match of
  // `pattern` replaced by `replacement`.
  fs::path sample_with(const std::string& file, const std::string& pattern, const std::string& replacement) {
    const fs::path root = dir_ / "coco";
    fs::copy(test::test_data_dir() + "/coco_sample", root, fs::copy_options::recursive);
    const std::string text = read_file(root / file);
    const std::string changed = std::regex_replace(text, std::regex(pattern), replacement,
                                                   std::regex_constants::format_first_only);
    EXPECT_NE(changed, text) << pattern << " not found in " << file;
    std::ofstream(root / file, std::ios::binary) << changed;
    return root;
  }

  static void expect_user_error(const test::CommandResult& r, const std::string& named) {
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_NE(r.output.find(named), std::string::npos) << "not named: " << named << "\n" << r.output;
    EXPECT_EQ(r.output.find("internal error"), std::string::npos) << r.output;
  }

  fs::path dir_;
};

const char* kAnnotations = "annotations/person_keypoints_val2017.json";

TEST_F(ErrorClasses, ANumberBeyondADoubleNamesTheAnnotationFile) {
  const fs::path root = sample_with(kAnnotations, "\"year\": 2020", "\"year\": 1e400");
  const auto r = run_command(bin("pose_prepare") + " --coco-root " + root.string() +
                             " --split val2017 --quiet --out " + (dir_ / "out").string());
  expect_user_error(r, (root / kAnnotations).string());
}

TEST_F(ErrorClasses, ANumberBeyondADoubleNamesTheDetectionFile) {
  const fs::path root = dir_ / "coco";
  fs::copy(test::test_data_dir() + "/coco_sample", root, fs::copy_options::recursive);
  fs::path detections;
  for (const auto& entry : fs::directory_iterator(root / "detections")) detections = entry.path();
  std::string text = read_file(detections);
  text.replace(text.find("\"score\": "), 9, "\"score\": 1e400, \"x\": ");
  std::ofstream(detections, std::ios::binary) << text;
  const auto r = run_command(bin("pose_prepare") + " --coco-root " + root.string() +
                             " --split val2017 --boxes detector --det-file " + detections.string() +
                             " --quiet --out " + (dir_ / "out").string());
  expect_user_error(r, detections.string());
}

TEST_F(ErrorClasses, ANumberBeyondADoubleNamesTheGroundTruthFile) {
  const fs::path root = sample_with(kAnnotations, "\"year\": 2020", "\"year\": 1e400");
  const std::string results = (dir_ / "results.json").string();
  std::ofstream(results) << "[]";
  const auto r = run_command(bin("pose_coco_eval") + " --gt " + (root / kAnnotations).string() +
                             " --results " + results);
  expect_user_error(r, (root / kAnnotations).string());
}

TEST_F(ErrorClasses, ANumberBeyondADoubleNamesTheShardIndex) {
  const auto made = run_command(bin("pose_prepare") + " --coco-root " + test::test_data_dir() +
                                "/coco_sample --split val2017 --quiet --out " + (dir_ / "out").string());
  ASSERT_EQ(made.status, 0) << made.output;
  const fs::path index = dir_ / "out" / "val2017" / "index.json";
  std::string text = read_file(index);
  text.replace(text.find('{'), 1, "{\"padding\": 1e400, ");
  std::ofstream(index, std::ios::binary) << text;
  const auto r = run_command(bin("pose_prepare") + " --verify " + (dir_ / "out" / "val2017").string());
  expect_user_error(r, index.string());
}

TEST_F(ErrorClasses, AFolderWhereAFileBelongsIsNamed) {
  const std::string results = (dir_ / "results.json").string();
  std::ofstream(results) << "[]";
  const auto r = run_command(bin("pose_coco_eval") + " --gt " + dir_.string() + " --results " + results);
  expect_user_error(r, "'" + dir_.string() + "' is a folder");
}

TEST_F(ErrorClasses, AShardWriteThatFailsNamesTheShardAndLeavesNoPartFile) {
  // 64 KiB per file: the shard's JPEG bytes (about 0.5 MB) cannot all be written.
  const fs::path out = dir_ / "out";
  const auto r = run_command("bash -c 'ulimit -f 64; trap \"\" XFSZ; exec " + bin("pose_prepare") + " --coco-root " +
                             test::test_data_dir() + "/coco_sample --split val2017 --quiet --out " + out.string() + "'");
  expect_user_error(r, (out / "val2017" / "val2017-00000-of-00001.h5").string());
  EXPECT_NE(r.output.find("disk full"), std::string::npos) << r.output;
  for (const auto& entry : fs::directory_iterator(out / "val2017"))
    ADD_FAILURE() << "left behind: " << entry.path();
}

TEST_F(ErrorClasses, ABatchTooLargeToAllocateNamesTheKey) {
  // A 4 GiB address-space limit makes the allocation fail whatever memory this machine has.
  const auto r = run_command("bash -c 'ulimit -v 4000000; exec " + bin("pose_train") + " --config " +
                             test::source_dir() + "/configs/synthetic/tiny_cpu.ini --run.output_dir " +
                             (dir_ / "runs").string() + " --train.batch_size 65536'");
  expect_user_error(r, "train.batch_size 65536");
}

TEST_F(ErrorClasses, AResultsFolderThatCannotBeMadeIsAUserError) {
  std::ofstream(dir_ / "a_file") << "not a folder";
  const std::string out = (dir_ / "a_file" / "results").string();
  const auto r = run_command(bin("pose_eval") + " --config " + test::source_dir() +
                             "/configs/synthetic/tiny_cpu.ini --run.output_dir " + (dir_ / "runs").string() +
                             " --out " + out);
  expect_user_error(r, "cannot create the results folder '" + out + "'");
}

}  // namespace
}  // namespace pose
