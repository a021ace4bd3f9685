// The whole network against PyTorch: tests/data/reference/pose_resnet_tiny.h5 holds a small
// PoseResNet's weights, input, targets and PyTorch's (float64) output, loss, every parameter
// gradient and the BN statistics after one training-mode forward. The CPU backend must match
// all of them within 1e-4 relative (norm-wise): float32 against float64 leaves about 1e-6,
// so 1e-4 catches any wrong index, stride or formula while allowing summation-order noise.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "../common/network_helpers.h"
#include "../common/paths.h"
#include "io/hdf5_file.h"
#include "kernels/ops.h"
#include "model/pose_resnet.h"
#include "model/torch_layout.h"
#include "model/weights.h"

namespace pose {
namespace {

using test::relative_error;

constexpr double kTolerance = 1e-4;

std::string reference_file() { return test::test_data_dir() + "/reference/pose_resnet_tiny.h5"; }

// NCHW -> NHWC.
std::vector<float> to_nhwc(const std::vector<float>& nchw, const std::vector<hsize_t>& d) {
  std::vector<float> out(nchw.size());
  for (hsize_t n = 0; n < d[0]; ++n)
    for (hsize_t c = 0; c < d[1]; ++c)
      for (hsize_t y = 0; y < d[2]; ++y)
        for (hsize_t x = 0; x < d[3]; ++x)
          out[((n * d[2] + y) * d[3] + x) * d[1] + c] = nchw[((n * d[1] + c) * d[2] + y) * d[3] + x];
  return out;
}

std::vector<float> values_of(const TensorView& t) {
  const float* p = t.as<float>();
  return std::vector<float>(p, p + t.numel());
}

class PoseResNetReference : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = h5::open_file(reference_file());
    const std::string arch = h5::read_string_attribute(file_, "arch");  // "resnet18"
    spec_.depth = std::stoi(arch.substr(std::string("resnet").size()));
    spec_.base_width = static_cast<int>(h5::read_int_attribute(file_, "base_width"));
    spec_.input_height = static_cast<int>(h5::read_int_attribute(file_, "input_height"));
    spec_.input_width = static_cast<int>(h5::read_int_attribute(file_, "input_width"));
    spec_.num_joints = static_cast<int>(h5::read_int_attribute(file_, "num_joints"));
    const int filters = static_cast<int>(h5::read_int_attribute(file_, "deconv_filters"));
    spec_.deconv_filters = {filters, filters, filters};
    batch_ = static_cast<int>(h5::read_int_attribute(file_, "batch"));
  }

  std::vector<float> dataset(const std::string& name, std::vector<hsize_t>& dims) {
    return h5::read_dataset<float>(file_, name, dims);
  }

  h5::Handle file_;
  PoseResNetSpec spec_;
  int batch_ = 0;
  DeviceContext ctx_ = DeviceContext::cpu();
};

TEST_F(PoseResNetReference, TrainingStepMatchesPyTorch) {
  PoseResNet net(spec_, ctx_, batch_);
  const WeightFile weights = read_weight_file(reference_file());
  EXPECT_EQ(load_weights(net, weights, LoadMode::Whole), weights.params.size() + weights.buffers.size());

  std::vector<hsize_t> dims;
  const std::vector<float> input = to_nhwc(dataset("input", dims), dims);
  std::copy(input.begin(), input.end(), net.input().as<float>());
  net.forward(/*training=*/true);

  const std::vector<float> want_out = to_nhwc(dataset("output", dims), dims);
  EXPECT_LT(relative_error(values_of(net.heatmaps()), want_out), kTolerance) << "heatmaps";

  const std::vector<float> target_nhwc = to_nhwc(dataset("target", dims), dims);
  Tensor target = Tensor::empty(net.heatmaps().shape, DType::F32, Device::CPU);
  std::copy(target_nhwc.begin(), target_nhwc.end(), target.data<float>());
  const std::vector<float> weight_values = dataset("target_weight", dims);
  Tensor weight = Tensor::empty({batch_, spec_.num_joints}, DType::F32, Device::CPU);
  std::copy(weight_values.begin(), weight_values.end(), weight.data<float>());
  Tensor loss = Tensor::empty({1}, DType::F32, Device::CPU);
  ops::mse_loss_forward(ctx_, loss, net.heatmaps(), target, weight);
  const std::vector<float> want_loss = dataset("loss", dims);
  EXPECT_LT(relative_error({loss.data<float>()[0]}, want_loss), kTolerance) << "loss";

  Tensor one = Tensor::empty({1}, DType::F32, Device::CPU);
  one.data<float>()[0] = 1.0f;
  ops::mse_loss_backward(ctx_, net.heatmaps_grad(), net.heatmaps(), target, weight, one);
  net.backward();

  const std::vector<NamedTensor> grads = read_weight_group(reference_file(), "grads");
  EXPECT_EQ(grads.size(), net.params().infos().size());
  for (const NamedTensor& g : grads) {
    const auto& infos = net.params().infos();
    const auto info = std::find_if(infos.begin(), infos.end(), [&](const ParamInfo& p) { return p.name == g.name; });
    ASSERT_NE(info, infos.end()) << g.name;
    std::vector<float> ours_torch(g.values.size());
    to_torch_layout(*info, net.params().grad(static_cast<std::size_t>(info - infos.begin())).as<float>(),
                    ours_torch.data());
    EXPECT_LT(relative_error(ours_torch, g.values), kTolerance) << "gradient of " << g.name;
  }

  const std::vector<NamedTensor> stats = read_weight_group(reference_file(), "buffers_after");
  for (const NamedTensor& s : stats) {
    const auto& infos = net.stats().infos();
    const auto info = std::find_if(infos.begin(), infos.end(), [&](const ParamInfo& p) { return p.name == s.name; });
    ASSERT_NE(info, infos.end()) << s.name;
    EXPECT_LT(relative_error(values_of(net.stats().master(static_cast<std::size_t>(info - infos.begin()))), s.values),
              kTolerance)
        << "running statistic " << s.name;
  }
}

}  // namespace
}  // namespace pose
