// PoseResNet's structure, initialisation and weight loading on the CPU backend.
#include <gtest/gtest.h>

#include <cmath>

#include "../common/network_helpers.h"
#include "core/error.h"
#include "model/pose_resnet.h"
#include "model/weights.h"

namespace pose {
namespace {

using test::tiny_spec;

std::int64_t parameter_count(const PoseResNet& net) {
  std::int64_t n = 0;
  for (const ParamInfo& p : net.params().infos()) n += p.shape.numel();
  return n;
}

const ParamInfo* find(const ParamStore& store, const std::string& name) {
  for (const ParamInfo& p : store.infos())
    if (p.name == name) return &p;
  return nullptr;
}

TEST(PoseResNet, ResNet50HasTheReferenceParameterCountAndShapes) {
  // 23,508,032 backbone parameters (torchvision ResNet-50 without fc) + the head:
  // 2048*256*16 + 2 * 256*256*16 + 3 * 2*256 (BN) + 256*17 + 17 = 33,999,697 (the "34.0 M").
  const DeviceContext ctx = DeviceContext::cpu();
  PoseResNet net(PoseResNetSpec{}, ctx, 1);
  EXPECT_EQ(parameter_count(net), 33999697);
  EXPECT_EQ(net.heatmaps().shape, (Shape{1, 64, 48, 17}));
  ASSERT_NE(find(net.params(), "layer1.0.downsample.0.weight"), nullptr);
  EXPECT_EQ(find(net.params(), "layer1.0.downsample.0.weight")->shape, (Shape{256, 1, 1, 64}));
  EXPECT_EQ(find(net.params(), "deconv_layers.0.weight")->shape, (Shape{2048, 4, 4, 256}));
  EXPECT_EQ(find(net.params(), "final_layer.bias")->shape, (Shape{17}));
  EXPECT_NE(find(net.stats(), "deconv_layers.7.running_var"), nullptr);
  EXPECT_EQ(find(net.params(), "layer3.5.conv3.weight")->shape, (Shape{1024, 1, 1, 256}));
}

TEST(PoseResNet, InputSizesGiveQuarterResolutionHeatmaps) {
  const DeviceContext ctx = DeviceContext::cpu();
  for (auto [h, w] : {std::pair{256, 192}, std::pair{384, 288}, std::pair{128, 96}}) {
    PoseResNetSpec spec = tiny_spec();
    spec.depth = 34;
    spec.input_height = h;
    spec.input_width = w;
    PoseResNet net(spec, ctx, 2);
    EXPECT_EQ(net.heatmaps().shape, (Shape{2, h / 4, w / 4, 17})) << h << "x" << w;
  }
}

TEST(PoseResNet, BadSpecsNameTheField) {
  PoseResNetSpec spec = tiny_spec();
  spec.depth = 20;
  EXPECT_THROW(spec.validate(), UserError);
  spec = tiny_spec();
  spec.input_height = 100;
  try {
    spec.validate();
    FAIL() << "expected an error";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("multiples of 32"), std::string::npos) << e.what();
  }
  spec = tiny_spec();
  spec.deconv_kernels = {4, 4};
  EXPECT_THROW(spec.validate(), UserError);
}

TEST(PoseResNet, InitialisationFollowsTheReference) {
  const DeviceContext ctx = DeviceContext::cpu();
  PoseResNet net(tiny_spec(), ctx, 1);
  init_weights(net, 7);
  const ParamStore& p = net.params();
  auto values = [&](const std::string& name) {
    const ParamInfo* info = find(p, name);
    const float* v = p.master(static_cast<std::size_t>(info - p.infos().data())).as<float>();
    return std::vector<float>(v, v + info->shape.numel());
  };
  auto stddev = [](const std::vector<float>& v) {
    double s = 0;
    for (float x : v) s += double(x) * x;
    return std::sqrt(s / v.size());
  };
  EXPECT_NEAR(stddev(values("deconv_layers.0.weight")), 0.001, 0.0002);  // 16*16*8 = 2048 draws
  // conv1: fan_out = 4 * 7 * 7 = 196, std sqrt(2/196) = 0.101.
  EXPECT_NEAR(stddev(values("conv1.weight")), std::sqrt(2.0 / 196), 0.02);
  for (float v : values("final_layer.bias")) EXPECT_EQ(v, 0.0f);
  for (float v : values("layer1.0.bn1.weight")) EXPECT_EQ(v, 1.0f);
  for (float v : values("deconv_layers.1.bias")) EXPECT_EQ(v, 0.0f);
  // Same seed, same values.
  PoseResNet again(tiny_spec(), ctx, 1);
  init_weights(again, 7);
  const float* a = net.params().all_master().as<float>();
  const float* b = again.params().all_master().as<float>();
  EXPECT_TRUE(std::equal(a, a + net.params().numel(), b));
}

TEST(PoseResNet, WeightsRoundTripThroughExportAndLoad) {
  const DeviceContext ctx = DeviceContext::cpu();
  PoseResNet net(tiny_spec(), ctx, 1), copy(tiny_spec(), ctx, 1);
  init_weights(net, 3);
  const WeightFile file = export_weights(net, "test");
  EXPECT_EQ(load_weights(copy, file, LoadMode::Whole), file.params.size() + file.buffers.size());
  const float* a = net.params().all_master().as<float>();
  EXPECT_TRUE(std::equal(a, a + net.params().numel(), copy.params().all_master().as<float>()));
  // PyTorch layout on the way out: conv1 is [K, C, R, S].
  EXPECT_EQ(file.find_param("conv1.weight")->shape, (std::vector<std::int64_t>{4, 3, 7, 7}));
}

TEST(PoseResNet, LoadingNamesTheTensorAtFault) {
  const DeviceContext ctx = DeviceContext::cpu();
  PoseResNet net(tiny_spec(), ctx, 1);
  const WeightFile good = export_weights(net, "test");
  auto message = [&](const WeightFile& f, LoadMode mode) {
    try {
      load_weights(net, f, mode);
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  WeightFile missing = good;
  missing.params.erase(missing.params.begin() + 1);
  EXPECT_NE(message(missing, LoadMode::Whole).find("missing tensor '" + good.params[1].name + "'"), std::string::npos);

  WeightFile wrong_shape = good;
  wrong_shape.params[0].shape = {4, 3, 5, 5};
  EXPECT_NE(message(wrong_shape, LoadMode::Whole).find("'conv1.weight' has shape [4x3x5x5]"), std::string::npos)
      << message(wrong_shape, LoadMode::Whole);

  WeightFile extra = good;
  extra.params.push_back(NamedTensor{"fc.weight", {1000, 32}, std::vector<float>(32000)});
  EXPECT_NE(message(extra, LoadMode::Whole).find("'fc.weight' is not part of this network"), std::string::npos);
  // A pretrained backbone may carry the classifier and lack the head.
  WeightFile backbone;
  for (const NamedTensor& t : extra.params)
    if (t.name.rfind("deconv", 0) != 0 && t.name.rfind("final", 0) != 0) backbone.params.push_back(t);
  for (const NamedTensor& t : good.buffers)
    if (t.name.rfind("deconv", 0) != 0) backbone.buffers.push_back(t);
  EXPECT_EQ(message(backbone, LoadMode::Backbone), "no error");
  EXPECT_NE(message(backbone, LoadMode::Whole).find("missing tensor 'deconv_layers.0.weight'"), std::string::npos);
}

TEST(PoseResNet, BackwardReportsGradientsFinalFromTheEndOfTheBuffer) {
  // What the overlapped all-reduce relies on: when backward reports an offset, every gradient
  // from there to the end already has its final value.
  const DeviceContext ctx = DeviceContext::cpu();
  PoseResNet net(tiny_spec(), ctx, 2);
  init_weights(net, 9);
  for (std::int64_t i = 0; i < net.input().numel(); ++i) net.input().as<float>()[i] = std::sin(0.1f * i);
  net.forward(true);
  for (std::int64_t i = 0; i < net.heatmaps_grad().numel(); ++i) net.heatmaps_grad().as<float>()[i] = 1e-3f * (i % 7);
  const float* grads = net.params().all_grad().as<float>();
  const std::size_t n = net.params().numel();
  std::vector<std::pair<std::size_t, std::vector<float>>> reported;
  net.backward([&](std::size_t offset) { reported.emplace_back(offset, std::vector<float>(grads + offset, grads + n)); });
  ASSERT_FALSE(reported.empty());
  EXPECT_EQ(reported.back().first, 0u);
  for (std::size_t k = 0; k < reported.size(); ++k) {
    if (k > 0) {
      EXPECT_LT(reported[k].first, reported[k - 1].first);
    }
    EXPECT_TRUE(std::equal(reported[k].second.begin(), reported[k].second.end(), grads + reported[k].first))
        << "gradients from offset " << reported[k].first << " changed after being reported final";
  }
}

}  // namespace
}  // namespace pose
