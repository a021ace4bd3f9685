// Released pose models: preprocess/weights/convert_pose_model.py end to end. For each layout
// (MSRA's plain state dict, MSRA's DataParallel checkpoint, mmpose 1.x, mmpose 0.x) a random
// PyTorch SimpleBaseline is saved the way that project saves it (make_released_pose_model.py),
// converted, loaded into our CPU network, and run on the input PyTorch ran: the heatmaps must
// agree to 1e-4 of their largest magnitude (float32 against PyTorch's float64 leaves about
// 1e-6; a misplaced tensor gives errors of order 1), and decoding both must give the same
// keypoints. Needs Debian's python3-torch and python3-h5py (scripts/install_deps.sh installs
// them); without them the test fails rather than skips, so CI always runs it. Only where
// POSE_NO_PYTHON_TESTS is set (a machine without Python by design, such as the GPU host) does
// it skip.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "../common/paths.h"
#include "../common/run_command.h"
#include "eval/heatmap_decode.h"
#include "io/hdf5_file.h"
#include "model/pose_resnet.h"
#include "model/weights.h"

namespace pose {
namespace {

namespace fs = std::filesystem;

constexpr double kTolerance = 1e-4;

std::string torch_python() { return test::env_or("POSE_TORCH_PYTHON", "/usr/bin/python3"); }

struct Case {
  const char* layout;
  int depth;
};

// NCHW -> NHWC.
std::vector<float> to_nhwc(const NamedTensor& t) {
  const std::int64_t n = t.shape[0], c = t.shape[1], h = t.shape[2], w = t.shape[3];
  std::vector<float> out(t.values.size());
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t k = 0; k < c; ++k)
      for (std::int64_t y = 0; y < h; ++y)
        for (std::int64_t x = 0; x < w; ++x)
          out[((i * h + y) * w + x) * c + k] = t.values[((i * c + k) * h + y) * w + x];
  return out;
}

const NamedTensor& find(const std::vector<NamedTensor>& tensors, const std::string& name) {
  for (const NamedTensor& t : tensors)
    if (t.name == name) return t;
  throw std::runtime_error("reference has no tensor " + name);
}

std::vector<double> decode(const std::vector<float>& heatmaps, int batch, int h, int w, int joints) {
  const std::vector<std::array<double, 2>> centers(static_cast<std::size_t>(batch), {320.0, 240.0});
  const std::vector<std::array<double, 2>> scales(static_cast<std::size_t>(batch), {1.2, 1.6});
  std::vector<double> keypoints(static_cast<std::size_t>(batch) * joints * 3);
  decode_heatmaps(HeatmapBatch{heatmaps.data(), batch, h, w, joints}, joints, centers.data(), scales.data(),
                  PeakRefine{PeakRefine::Quarter}, keypoints.data());
  return keypoints;
}

const std::vector<Case> kCases = {{"msra", 50}, {"msra_checkpoint", 18}, {"mmpose1", 50}, {"mmpose0", 34}};

std::string case_name(const Case& c) { return std::string(c.layout) + "_resnet" + std::to_string(c.depth); }

// Every case's model and reference are made by one Python run (PyTorch takes seconds to start).
class ReleasedModel : public ::testing::TestWithParam<Case> {
 protected:
  static fs::path dir() { return fs::temp_directory_path() / ("pose_test_released_" + std::to_string(getpid())); }

  void SetUp() override {
    if (std::getenv("POSE_NO_PYTHON_TESTS")) GTEST_SKIP() << "POSE_NO_PYTHON_TESTS is set";
  }

  static void SetUpTestSuite() {
    if (std::getenv("POSE_NO_PYTHON_TESTS")) return;
    fs::remove_all(dir());
    fs::create_directories(dir());
    probe_ = test::run_command(torch_python() + " -c 'import torch, h5py'");
    if (probe_.status != 0) return;
    std::string cases;
    for (const Case& c : kCases) cases += " " + std::string(c.layout) + ":" + std::to_string(c.depth);
    made_ = test::run_command(torch_python() + " " + test::source_dir() +
                              "/tests/model/make_released_pose_model.py --out " + dir().string() + cases);
  }
  static void TearDownTestSuite() { fs::remove_all(dir()); }

  static std::string path(const std::string& name) { return (dir() / name).string(); }

  static test::CommandResult probe_, made_;
};

test::CommandResult ReleasedModel::probe_, ReleasedModel::made_;

TEST_P(ReleasedModel, ConvertsAndGivesPyTorchsHeatmapsAndKeypoints) {
  const Case c = GetParam();
  ASSERT_EQ(probe_.status, 0) << torch_python() << " cannot import torch and h5py: run scripts/install_deps.sh "
                              << "(python3-torch, python3-h5py) or set POSE_TORCH_PYTHON\n" << probe_.output;
  ASSERT_EQ(made_.status, 0) << made_.output;
  const std::string name = case_name(c);
  const test::CommandResult converted =
      test::run_command(torch_python() + " " + test::source_dir() + "/preprocess/weights/convert_pose_model.py --in " +
                        path(name + ".pth") + " --out " + path(name + "_ours.h5"));
  ASSERT_EQ(converted.status, 0) << converted.output;
  EXPECT_NE(converted.output.find("model.backbone = resnet" + std::to_string(c.depth)), std::string::npos)
      << converted.output;
  EXPECT_NE(converted.output.find("model.base_width = 8"), std::string::npos) << converted.output;

  const h5::Handle ref_file = h5::open_file(path(name + ".h5"));
  PoseResNetSpec spec;
  spec.depth = static_cast<int>(h5::read_int_attribute(ref_file, "depth"));
  spec.base_width = static_cast<int>(h5::read_int_attribute(ref_file, "base_width"));
  spec.input_height = static_cast<int>(h5::read_int_attribute(ref_file, "input_height"));
  spec.input_width = static_cast<int>(h5::read_int_attribute(ref_file, "input_width"));
  spec.num_joints = static_cast<int>(h5::read_int_attribute(ref_file, "num_joints"));
  const int filters = static_cast<int>(h5::read_int_attribute(ref_file, "deconv_filters"));
  spec.deconv_filters = {filters, filters, filters};
  const std::vector<NamedTensor> ref = read_weight_group(path(name + ".h5"), "reference");
  const NamedTensor& input = find(ref, "input");
  const NamedTensor& want_nchw = find(ref, "heatmaps");
  const int batch = static_cast<int>(input.shape[0]);

  const DeviceContext ctx = DeviceContext::cpu();
  PoseResNet net(spec, ctx, batch, /*trainable=*/false);
  const WeightFile weights = read_weight_file(path(name + "_ours.h5"));
  // Whole: every tensor of the network, head included, and nothing else.
  EXPECT_EQ(load_weights(net, weights, LoadMode::Whole), weights.params.size() + weights.buffers.size());
  const std::vector<float> image = to_nhwc(input);
  std::copy(image.begin(), image.end(), net.input().as<float>());
  net.forward(/*training=*/false);

  const std::vector<float> want = to_nhwc(want_nchw);
  const TensorView hm = net.heatmaps();
  ASSERT_EQ(static_cast<std::size_t>(hm.numel()), want.size());
  const float* got = hm.as<float>();
  double max_diff = 0, max_ref = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    max_diff = std::max(max_diff, std::abs(double(got[i]) - want[i]));
    max_ref = std::max(max_ref, std::abs(double(want[i])));
  }
  ASSERT_GT(max_ref, 0.1) << "the reference heatmaps are too flat to tell tensors apart";
  EXPECT_LT(max_diff / max_ref, kTolerance) << c.layout << ": max |ours - PyTorch| " << max_diff << " of max "
                                            << max_ref;
  std::cout << c.layout << " resnet" << c.depth << ": heatmap max relative difference " << max_diff / max_ref
            << "\n";

  const int h = static_cast<int>(hm.shape[1]), w = static_cast<int>(hm.shape[2]), joints = spec.num_joints;
  const std::vector<double> ours = decode(std::vector<float>(got, got + want.size()), batch, h, w, joints);
  const std::vector<double> theirs = decode(want, batch, h, w, joints);
  for (std::size_t i = 0; i < ours.size(); i += 3) {
    EXPECT_DOUBLE_EQ(ours[i], theirs[i]) << "x of joint " << i / 3;
    EXPECT_DOUBLE_EQ(ours[i + 1], theirs[i + 1]) << "y of joint " << i / 3;
    EXPECT_NEAR(ours[i + 2], theirs[i + 2], kTolerance * max_ref) << "score of joint " << i / 3;
  }
}

INSTANTIATE_TEST_SUITE_P(Layouts, ReleasedModel, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& param) { return case_name(param.param); });

// A state dict without a pose head (a torchvision backbone) is refused, naming the file.
TEST(ReleasedModelRefusal, BackboneOnlyFileIsRefusedWithItsName) {
  if (std::getenv("POSE_NO_PYTHON_TESTS")) GTEST_SKIP() << "POSE_NO_PYTHON_TESTS is set";
  const fs::path dir = fs::temp_directory_path() / ("pose_test_released_refusal_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string pth = (dir / "backbone.pth").string();
  const test::CommandResult saved = test::run_command(
      torch_python() + " -c 'import torch; torch.save({\"conv1.weight\": torch.zeros(64, 3, 7, 7)}, \"" + pth + "\")'");
  ASSERT_EQ(saved.status, 0) << saved.output;
  const test::CommandResult converted =
      test::run_command(torch_python() + " " + test::source_dir() + "/preprocess/weights/convert_pose_model.py --in " +
                        pth + " --out " + (dir / "out.h5").string());
  EXPECT_EQ(converted.status, 1) << converted.output;
  EXPECT_NE(converted.output.find("backbone.pth"), std::string::npos) << converted.output;
  EXPECT_NE(converted.output.find("final_layer.weight"), std::string::npos) << converted.output;
  EXPECT_FALSE(fs::exists(dir / "out.h5"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace pose
