// pose_prepare as a program: prepare + --verify, exit statuses, bad options stopping before
// any work.
#include <gtest/gtest.h>

#include <filesystem>

#include "../common/run_command.h"
#include "prepare_fixture.h"

namespace pose {
namespace {

namespace fs = std::filesystem;
using test::sample_detections;
using test::sample_root;

class PrepareProgramTest : public test::PrepareFixture {
 protected:
  test::CommandResult prepare(const std::string& arguments) {
    return test::run_command(test::bin_dir() + "/pose_prepare " + arguments);
  }
};

TEST_F(PrepareProgramTest, PreparesAndVerifiesBothBoxSources) {
  auto r = prepare("--coco-root " + sample_root() + " --split val2017 --shards 2 --threads 2 --out " +
                   (dir_ / "gt").string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("4 images, 12 records, 0.5 MB in 2 shard(s)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("images/s"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("4/4 images"), std::string::npos) << r.output;  // the progress line

  r = prepare("--coco-root " + sample_root() + " --split val2017 --boxes detector --det-file " +
              sample_detections() + " --image-thre 0.5 --quiet --out " + (dir_ / "det").string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("18 records"), std::string::npos) << r.output;

  r = prepare("--verify " + (dir_ / "det" / "val2017").string());
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("4 images, 18 records, 0 problem(s)"), std::string::npos) << r.output;
}

TEST_F(PrepareProgramTest, VerifyOfADamagedSetExitsWithTwo) {
  const std::string split = write(gt_records(test::sample_annotations(), {}), 1, "split");
  fs::resize_file(split + "/val2017-00000-of-00001.h5", 1000);
  const auto r = prepare("--verify " + split);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("problem: shard '"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("1 problem(s)"), std::string::npos) << r.output;
}

TEST_F(PrepareProgramTest, BadOptionsStopBeforeAnyWork) {
  const std::string base = "--coco-root " + sample_root() + " --split val2017 --out " + (dir_ / "o").string();
  const std::pair<std::string, std::string> cases[] = {
      {base + " --boxes detector", "--det-file"},
      {base + " --shards 0", "--shards wants a whole number"},
      {base + " --threads two", "--threads wants a whole number"},
      {base + " --input-size 192", "--input-size wants WxH"},
      {base + " --input-size 192x", "--input-size height"},
      {base + " --boxes dt", "--boxes is gt or detector"},
      {base + " --image-thre 0.1", "only with --boxes detector"},
      {base + " --boxes detector --det-file x --image-thre abc", "--image-thre wants a number"},
      {base + " --frobnicate", "unknown option '--frobnicate'"},
      {base + " --shards", "--shards needs a value"},
      {"--split val2017 --out " + (dir_ / "o").string(), "are required"},
      {"--coco-root " + (dir_ / "nowhere").string() + " --split val2017 --out " + (dir_ / "o").string(),
       "is not a folder"},
      {"--coco-root " + sample_root() + " --split ../x --out " + (dir_ / "o").string(), "plain name"},
      {"--verify " + (dir_ / "o").string() + " --shards 2", "--verify takes no other options"},
  };
  for (const auto& [arguments, message] : cases) {
    const auto r = prepare(arguments);
    EXPECT_EQ(r.status, 2) << arguments << "\n" << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << arguments << "\n" << r.output;
  }
  EXPECT_FALSE(fs::exists(dir_ / "o"));
  EXPECT_EQ(prepare("--help").status, 0);
}

TEST_F(PrepareProgramTest, AMissingImageNamesItsPathUnlessSkipped) {
  const fs::path root = dir_ / "root";
  fs::create_directories(root / "val2017");
  fs::copy(fs::path(sample_root()) / "annotations", root / "annotations");
  fs::copy_file(fs::path(sample_root()) / "val2017" / "000000000785.jpg", root / "val2017" / "000000000785.jpg");
  const std::string base = "--coco-root " + root.string() + " --split val2017 --quiet --out " + (dir_ / "o").string();
  auto r = prepare(base);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("000000040083.jpg"), std::string::npos) << r.output;
  r = prepare(base + " --skip-missing");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("1 images, 1 records"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("skipped 3 image(s)"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace pose
