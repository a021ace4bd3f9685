// The synthetic dataset generator, run as a program: COCO-consistent annotations, readable
// JPEGs, left and right told apart by colour, and output independent of the thread count.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <map>
#include <set>
#include <string>

#include "../common/paths.h"
#include "../common/run_command.h"
#include "data/jpeg_decode.h"
#include "data/jpeg_encode.h"
#include "io/file.h"

namespace pose {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path generate(const std::string& name, int threads) {
  const fs::path out = fs::temp_directory_path() / ("pose_test_synth_" + name);
  fs::remove_all(out);
  const auto r = test::run_command(test::bin_dir() + "/pose_synth --out " + out.string() +
                                   " --train-images 24 --val-images 8 --seed 3 --threads " + std::to_string(threads));
  EXPECT_EQ(r.status, 0) << r.output;
  return out;
}

std::vector<std::uint8_t> bytes_of(const fs::path& path) {
  const std::string text = read_text_file(path.string());
  return {text.begin(), text.end()};
}

TEST(Synth, AnnotationsAreConsistentCocoKeypoints) {
  const fs::path out = generate("consistent", 2);
  const json train = json::parse(read_text_file((out / "annotations/person_keypoints_train2017.json").string()));
  const json val = json::parse(read_text_file((out / "annotations/person_keypoints_val2017.json").string()));
  EXPECT_EQ(train["images"].size(), 24u);
  EXPECT_EQ(val["images"].size(), 8u);
  EXPECT_EQ(train["categories"][0]["keypoints"].size(), 17u);
  std::set<long> image_ids, annotation_ids;
  for (const json* doc : {&train, &val}) {
    const std::string split = doc == &train ? "train2017" : "val2017";
    std::map<long, std::pair<int, int>> size;
    for (const auto& image : (*doc)["images"]) {
      EXPECT_TRUE(image_ids.insert(image["id"].get<long>()).second) << "image ids are unique across splits";
      const auto jpeg = bytes_of(out / split / image["file_name"].get<std::string>());
      const JpegHeader h = read_jpeg_header(jpeg.data(), jpeg.size());
      EXPECT_EQ(h.width, image["width"].get<int>());
      EXPECT_EQ(h.height, image["height"].get<int>());
      size[image["id"].get<long>()] = {h.width, h.height};
    }
    EXPECT_GE((*doc)["annotations"].size(), (*doc)["images"].size()) << "at least one person per image on average";
    for (const auto& a : (*doc)["annotations"]) {
      EXPECT_TRUE(annotation_ids.insert(a["id"].get<long>()).second);
      const auto [w, h] = size.at(a["image_id"].get<long>());
      const auto box = a["bbox"].get<std::vector<double>>();
      const auto k = a["keypoints"].get<std::vector<double>>();
      ASSERT_EQ(k.size(), 51u);
      EXPECT_GT(a["area"].get<double>(), 0);
      EXPECT_LE(box[0] + box[2], w + 1e-6);
      EXPECT_LE(box[1] + box[3], h + 1e-6);
      int labelled = 0;
      for (int j = 0; j < 17; ++j) {
        const double x = k[3 * j], y = k[3 * j + 1], v = k[3 * j + 2];
        if (v == 0) {
          EXPECT_EQ(x, 0);
          EXPECT_EQ(y, 0);
          continue;
        }
        ++labelled;
        EXPECT_TRUE(v == 1 || v == 2);
        EXPECT_GE(x, 0);
        EXPECT_LT(x, w);
        EXPECT_GE(y, 0);
        EXPECT_LT(y, h);
        if (v == 2) {  // a visible joint lies on the figure, so inside its box
          EXPECT_GE(x, box[0] - 1);
          EXPECT_LE(x, box[0] + box[2] + 1);
        }
      }
      EXPECT_EQ(a["num_keypoints"].get<int>(), labelled);
    }
  }
  const json detections = json::parse(read_text_file((out / "detections/person_detections_val2017.json").string()));
  EXPECT_GT(detections.size(), val["annotations"].size() / 2);
  for (const auto& d : detections) EXPECT_GT(image_ids.count(d["image_id"].get<long>()), 0u);
  fs::remove_all(out);
}

TEST(Synth, LeftAndRightWristsHaveTheirSidesColours) {
  const fs::path out = generate("colours", 2);
  const json train = json::parse(read_text_file((out / "annotations/person_keypoints_train2017.json").string()));
  int checked = 0, right_colour = 0;
  for (const auto& a : train["annotations"]) {
    const auto jpeg = bytes_of(out / "train2017" / (std::string(12 - std::to_string(a["image_id"].get<long>()).size(), '0') +
                                                    std::to_string(a["image_id"].get<long>()) + ".jpg"));
    DecodedRegion image;
    decode_jpeg_region(jpeg.data(), jpeg.size(), {0, 0, 1 << 20, 1 << 20}, 1, image);
    const auto k = a["keypoints"].get<std::vector<double>>();
    for (int j : {9, 10}) {  // left wrist (warm colours), right wrist (cool colours)
      if (k[3 * j + 2] != 2) continue;
      const std::uint8_t* p = &image.rgb[(static_cast<std::size_t>(k[3 * j + 1]) * image.width +
                                          static_cast<std::size_t>(k[3 * j])) * 3];
      const bool warm = p[0] > p[2];
      ++checked;
      right_colour += (j == 9) == warm;
    }
  }
  ASSERT_GT(checked, 10);
  EXPECT_GT(right_colour, checked * 8 / 10) << right_colour << " of " << checked;
  fs::remove_all(out);
}

TEST(Synth, SameSeedSameBytesWhateverTheThreads) {
  const fs::path a = generate("one", 1), b = generate("four", 4);
  for (const char* file : {"annotations/person_keypoints_train2017.json", "detections/person_detections_val2017.json",
                           "train2017/000000000005.jpg", "val2017/000000000030.jpg"})
    EXPECT_EQ(read_text_file((a / file).string()), read_text_file((b / file).string())) << file;
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(JpegEncode, RoundTripsAGradient) {
  std::vector<std::uint8_t> rgb(64 * 48 * 3);
  for (std::size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<std::uint8_t>((i / 3) % 64 * 4);
  const auto jpeg = encode_jpeg_rgb(rgb.data(), 64, 48, 95);
  DecodedRegion back;
  decode_jpeg_region(jpeg.data(), jpeg.size(), {0, 0, 64, 48}, 1, back);
  ASSERT_EQ(back.rgb.size(), rgb.size());
  double error = 0;
  for (std::size_t i = 0; i < rgb.size(); ++i) error += std::abs(back.rgb[i] - rgb[i]);
  EXPECT_LT(error / static_cast<double>(rgb.size()), 3.0);
}

TEST(Synth, BadOptionsStopWithAMessage) {
  const auto r = test::run_command(test::bin_dir() + "/pose_synth --out /tmp/x --train-images many");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("--train-images"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace pose
