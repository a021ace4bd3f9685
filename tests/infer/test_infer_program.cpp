// pose_infer on the four COCO images of tests/data/coco_sample with a small random network:
// - one --box on every image gives one pose per image, ids from the COCO file names, inside
//   the box's crop, an index of the images and one decodable picture per image;
// - bad inputs (an empty folder, a file that is not a JPEG, a missing path, a box outside the
//   images) are reported naming the file and the others are still processed;
// - 2 ranks write the same results as 1 rank;
// - on the JPEG files of a synthetic val split with its detector boxes, it writes exactly the
//   poses pose_eval writes from that split's shards (one inference path);
// - bad flags are usage errors (status 2) naming the flag.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "../common/paths.h"
#include "../common/run_command.h"
#include "core/device_context.h"
#include "io/file.h"
#include "model/pose_resnet.h"
#include "model/weights.h"
#include "viz/picture.h"

namespace pose {
namespace {

namespace fs = std::filesystem;
using test::run_command;

class InferProgram : public ::testing::Test {
 protected:
  static std::string dir() {
    return (fs::temp_directory_path() / ("pose_test_infer_program_" + std::to_string(getpid()))).string();
  }
  static std::string images() { return test::test_data_dir() + "/coco_sample/val2017"; }

  // A random network of the tiny config's shape, saved as a weight file.
  static void SetUpTestSuite() {
    fs::remove_all(dir());
    fs::create_directories(dir() + "/empty");
    write_text_file(dir() + "/not_a_jpeg.jpg", "plain text");
    PoseResNetSpec spec;
    spec.depth = 18;
    spec.base_width = 16;
    spec.input_height = 128;
    spec.input_width = 96;
    spec.deconv_filters = {64, 64, 64};
    const DeviceContext ctx = DeviceContext::cpu();
    PoseResNet net(spec, ctx, 1, /*trainable=*/false);
    init_weights(net, 3);
    write_weight_file(dir() + "/model.h5", export_weights(net, "test_infer_program"));
  }
  static void TearDownTestSuite() { fs::remove_all(dir()); }

  static std::string command(int ranks, const std::string& out, const std::string& extra) {
    return test::mpi_launch() + " " + std::to_string(ranks) + " " + test::bin_dir() + "/pose_infer --config " +
           test::source_dir() + "/configs/synthetic/tiny_cpu.ini --model " + dir() + "/model.h5 --out " + dir() +
           "/" + out + " --batch 3 " + extra;
  }

  static nlohmann::json read_json(const std::string& path) { return nlohmann::json::parse(read_text_file(path)); }
};

TEST_F(InferProgram, OneBoxPerImageGivesOnePoseAndOnePictureEach) {
  const auto r = run_command(command(1, "box", "--images=" + images() + " --box 100,50,200,300 --flip=yes"), 300);
  ASSERT_EQ(r.status, 0) << r.output;
  const nlohmann::json results = read_json(dir() + "/box/keypoints_results.json");
  ASSERT_EQ(results.size(), 4u) << r.output;
  std::set<std::int64_t> ids;
  for (const nlohmann::json& pose : results) {
    ids.insert(pose["image_id"].get<std::int64_t>());
    const std::vector<double> k = pose["keypoints"];
    ASSERT_EQ(k.size(), 51u);
    // The crop is the box widened to the 3:4 input aspect (300 high -> 225 wide) and enlarged
    // 1.25x around its centre (200, 200): x in [59.4, 340.6], y in [12.5, 387.5].
    for (std::size_t j = 0; j < 51; j += 3) {
      EXPECT_GE(k[j], 59.0);
      EXPECT_LE(k[j], 341.0);
      EXPECT_GE(k[j + 1], 12.0);
      EXPECT_LE(k[j + 1], 388.0);
    }
  }
  EXPECT_EQ(ids, (std::set<std::int64_t>{785, 40083, 196141, 197388}));
  const nlohmann::json index = read_json(dir() + "/box/images.json");
  ASSERT_EQ(index.size(), 4u);
  for (const nlohmann::json& image : index) {
    const std::string stem = fs::path(image["file"].get<std::string>()).stem().string();
    const Picture picture = read_jpeg_picture(dir() + "/box/" + stem + ".jpg");
    EXPECT_EQ(picture.width, image["width"].get<int>()) << stem;
    EXPECT_EQ(picture.height, image["height"].get<int>()) << stem;
  }
}

TEST_F(InferProgram, BadInputsAreNamedAndTheRestIsProcessed) {
  const auto r = run_command(command(1, "bad", "--images " + dir() + "/empty --images " + dir() +
                                                   "/not_a_jpeg.jpg --images " + dir() + "/absent.jpg --images " +
                                                   images() + " --box 100,50,200,300 --box 5000,5000,10,10"),
                             300);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("empty': the folder holds no .jpg or .jpeg files"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("not_a_jpeg.jpg': "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("absent.jpg': no such file or folder"), std::string::npos) << r.output;
  EXPECT_EQ(test::count_of(r.output, "box 5000,5000,10,10 lies outside the image"), 4) << r.output;
  EXPECT_NE(r.output.find("000000000785.jpg' (640x425): box 5000"), std::string::npos) << r.output;
  EXPECT_EQ(read_json(dir() + "/bad/keypoints_results.json").size(), 4u);
}

TEST_F(InferProgram, TwoRanksWriteWhatOneRankWrites) {
  const std::string extra = "--images " + images() + " --det-file " + test::test_data_dir() +
                            "/coco_sample/detections/test_coco_det_AP_H_56.json";
  const auto one = run_command(command(1, "one", extra), 300);
  ASSERT_EQ(one.status, 0) << one.output;
  const auto two = run_command(command(2, "two", extra), 300);
  ASSERT_EQ(two.status, 0) << two.output;
  const nlohmann::json a = read_json(dir() + "/one/keypoints_results.json");
  const nlohmann::json b = read_json(dir() + "/two/keypoints_results.json");
  EXPECT_GT(a.size(), 4u) << "the detection file has several people per image";
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i]["image_id"], b[i]["image_id"]) << i;
    const std::vector<double> ka = a[i]["keypoints"], kb = b[i]["keypoints"];
    for (std::size_t j = 0; j < ka.size(); ++j) EXPECT_NEAR(ka[j], kb[j], 1e-6 * (1 + std::abs(ka[j]))) << i;
  }
}

TEST_F(InferProgram, GivesPoseEvalsPosesForTheSameBoxes) {
  const std::string bin = test::bin_dir(), data = dir() + "/synthetic";
  const std::string detections = data + "/detections/person_detections_val2017.json";
  for (const std::string& c :
       {bin + "/pose_synth --out " + data + " --train-images 1 --val-images 6 --seed 5",
        bin + "/pose_prepare --coco-root " + data + " --split val2017 --boxes detector --det-file " + detections +
            " --shards 1 --out " + data + "/shards --quiet",
        bin + "/pose_eval --config " + test::source_dir() + "/configs/synthetic/tiny_cpu.ini --data.root " + data +
            " --model " + dir() + "/model.h5 --boxes detector --test.bbox_file " + detections + " --out " + dir() +
            "/eval"}) {
    const auto r = run_command(c, 300);
    ASSERT_EQ(r.status, 0) << c << "\n" << r.output;
  }
  const auto r = run_command(command(1, "same", "--images " + data + "/val2017 --det-file " + detections), 300);
  ASSERT_EQ(r.status, 0) << r.output;
  const nlohmann::json evaluated = read_json(dir() + "/eval/keypoints_val2017_results.json");
  const nlohmann::json inferred = read_json(dir() + "/same/keypoints_results.json");
  ASSERT_GT(evaluated.size(), 6u);
  ASSERT_EQ(inferred.size(), evaluated.size());
  for (std::size_t i = 0; i < evaluated.size(); ++i) {
    EXPECT_EQ(inferred[i]["image_id"], evaluated[i]["image_id"]) << i;
    EXPECT_DOUBLE_EQ(inferred[i]["score"].get<double>(), evaluated[i]["score"].get<double>()) << i;
    const std::vector<double> a = inferred[i]["keypoints"], b = evaluated[i]["keypoints"];
    for (std::size_t j = 0; j < a.size(); ++j) EXPECT_NEAR(a[j], b[j], 1e-9 * (1 + std::abs(b[j]))) << i << " " << j;
  }
}

TEST_F(InferProgram, BadFlagsAreUsageErrorsNamingTheFlag) {
  const auto no_out = run_command(test::bin_dir() + "/pose_infer --images " + images());
  EXPECT_EQ(no_out.status, 2) << no_out.output;
  EXPECT_NE(no_out.output.find("--out"), std::string::npos) << no_out.output;
  const auto bad_box = run_command(test::bin_dir() + "/pose_infer --images " + images() + " --out " + dir() +
                                   "/x --box 1,2,3");
  EXPECT_EQ(bad_box.status, 2) << bad_box.output;
  EXPECT_NE(bad_box.output.find("--box 1,2,3"), std::string::npos) << bad_box.output;
  const auto bad_flip = run_command(test::bin_dir() + "/pose_infer --images " + images() + " --out=" + dir() +
                                    "/x --flip=maybe");
  EXPECT_EQ(bad_flip.status, 2) << bad_flip.output;
  EXPECT_NE(bad_flip.output.find("--flip maybe"), std::string::npos) << bad_flip.output;
  const auto help = run_command(test::bin_dir() + "/pose_infer --help");
  EXPECT_EQ(help.status, 0) << help.output;
  EXPECT_NE(help.output.find("--det-file"), std::string::npos) << help.output;
}

}  // namespace
}  // namespace pose
