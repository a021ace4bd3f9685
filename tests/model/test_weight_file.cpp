// Weight files: write/read round trip, refusal of files that are not ours (wrong format,
// version or dtype, with the file and dataset named), and the torchvision converter end to end
// (a random resnet18 .pth -> convert_torchvision.py -> read_weight_file, checked against facts
// that PyTorch itself recorded). The converter part needs a python3 with torch, torchvision
// and h5py, and skips without one.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <numeric>
#include <string>

#include "../common/paths.h"
#include "../common/run_command.h"
#include "core/error.h"
#include "io/file.h"
#include "io/hdf5_file.h"
#include "model/weight_file.h"

namespace pose {
namespace {

namespace fs = std::filesystem;

// Debian's python3-torch by default; POSE_TORCH_PYTHON names another interpreter.
std::string torch_python() { return test::env_or("POSE_TORCH_PYTHON", "/usr/bin/python3"); }

class WeightFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("pose_test_weight_file_" + std::string(info->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

WeightFile small_weights() {
  WeightFile w;
  w.source = "unit test";
  // Not in name order: the reader must give back the written order.
  w.params = {{"conv1.weight", {2, 3, 1, 1}, {1, 2, 3, 4, 5, 6}},
              {"bn1.weight", {2}, {0.5f, -1.25f}},
              {"deconv_layers.0.weight", {2, 1, 2, 2}, {1e-8f, -3e7f, 0, 1, 2, 3, 4, 5}},
              {"scalar", {}, {42}}};
  w.buffers = {{"bn1.running_mean", {2}, {0.1f, 0.2f}}, {"bn1.running_var", {2}, {1.5f, 2.5f}}};
  return w;
}

void expect_same(const std::vector<NamedTensor>& got, const std::vector<NamedTensor>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].name, want[i].name);
    EXPECT_EQ(got[i].shape, want[i].shape) << want[i].name;
    EXPECT_EQ(got[i].values, want[i].values) << want[i].name;
  }
}

// Opens `path` for writing with the HDF5 C API, to damage a file the way other writers might.
h5::Handle open_for_update(const std::string& path) {
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  if (id < 0) throw Error("cannot reopen " + path);
  return h5::Handle(id);
}

// Replaces a root string attribute; variable_length as h5py writes a Python str.
void replace_string_attribute(const std::string& path, const std::string& name, const std::string& value,
                              bool variable_length) {
  const h5::Handle file = open_for_update(path);
  H5Adelete(file.get(), name.c_str());
  if (!variable_length) {
    h5::write_attribute(file, name, value);
    return;
  }
  const h5::Handle type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  const h5::Handle space(H5Screate(H5S_SCALAR));
  const h5::Handle attr(H5Acreate2(file.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT));
  const char* text = value.c_str();
  ASSERT_GE(H5Awrite(attr.get(), type.get(), &text), 0);
}

// The message of the UserError that `read` throws; a failure when it throws none.
template <typename Read>
std::string user_error_of(Read read) {
  try {
    read();
  } catch (const UserError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no UserError";
  return "";
}

TEST_F(WeightFileTest, RoundTripKeepsNamesShapesValuesAndOrder) {
  const WeightFile written = small_weights();
  const std::string file = path("w.h5");
  write_weight_file(file, written);
  write_weight_file(file, written);  // replacing an existing file works too
  EXPECT_FALSE(fs::exists(file + ".partial"));

  const WeightFile read = read_weight_file(file);
  EXPECT_EQ(read.source, "unit test");
  expect_same(read.params, written.params);
  expect_same(read.buffers, written.buffers);
  ASSERT_NE(read.find_param("bn1.weight"), nullptr);
  EXPECT_EQ(read.find_param("bn1.weight")->values[1], -1.25f);
  EXPECT_EQ(read.find_param("bn1.running_mean"), nullptr);  // a buffer, not a param
  EXPECT_NE(read.find_buffer("bn1.running_var"), nullptr);
  EXPECT_EQ(read.find_param("scalar")->numel(), 1);
  expect_same(read_weight_group(file, "buffers"), written.buffers);
}

TEST_F(WeightFileTest, SameWeightsGiveTheSameBytes) {
  write_weight_file(path("a.h5"), small_weights());
  write_weight_file(path("b.h5"), small_weights());
  EXPECT_EQ(read_text_file(path("a.h5")), read_text_file(path("b.h5")));
}

TEST_F(WeightFileTest, RefusesAnotherFormatNamingTheFile) {
  const std::string file = path("shard.h5");
  write_weight_file(file, small_weights());
  replace_string_attribute(file, "format", "pose-shards", false);
  const std::string message = user_error_of([&] { read_weight_file(file); });
  EXPECT_NE(message.find(file), std::string::npos) << message;
  EXPECT_NE(message.find("'pose-shards'"), std::string::npos) << message;
  EXPECT_NE(message.find("not a weight file"), std::string::npos) << message;
}

TEST_F(WeightFileTest, RefusesANewerVersion) {
  const std::string file = path("v2.h5");
  write_weight_file(file, small_weights());
  {
    const h5::Handle handle = open_for_update(file);
    H5Adelete(handle.get(), "version");
    h5::write_attribute(handle, "version", std::int64_t{2});
  }
  const std::string message = user_error_of([&] { read_weight_file(file); });
  EXPECT_NE(message.find(file), std::string::npos) << message;
  EXPECT_NE(message.find("version 2"), std::string::npos) << message;
}

TEST_F(WeightFileTest, RefusesFloat64NamingTheDataset) {
  const std::string file = path("f64.h5");
  write_weight_file(file, small_weights());
  {
    const h5::Handle handle = open_for_update(file);
    const hsize_t dims[1] = {2};
    const h5::Handle space(H5Screate_simple(1, dims, nullptr));
    const h5::Handle set(H5Dcreate2(handle.get(), "/params/final_layer.bias", H5T_IEEE_F64LE, space.get(),
                                    H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    const double values[2] = {1, 2};
    ASSERT_GE(H5Dwrite(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values), 0);
  }
  const std::string message = user_error_of([&] { read_weight_file(file); });
  EXPECT_NE(message.find(file), std::string::npos) << message;
  EXPECT_NE(message.find("'/params/final_layer.bias' is float64"), std::string::npos) << message;
}

TEST_F(WeightFileTest, MissingFileIsAUserErrorNamingIt) {
  const std::string file = path("absent.h5");
  EXPECT_NE(user_error_of([&] { read_weight_file(file); }).find(file), std::string::npos);
}

TEST_F(WeightFileTest, AcceptsVariableLengthStringsAsH5pyWritesThem) {
  const std::string file = path("vlen.h5");
  write_weight_file(file, small_weights());
  replace_string_attribute(file, "format", kWeightFileFormat, true);
  replace_string_attribute(file, "source", "written by h5py", true);
  const WeightFile read = read_weight_file(file);
  EXPECT_EQ(read.source, "written by h5py");
  EXPECT_EQ(read.params.size(), 4u);
}

// The converter's rule, stated independently: parameters go to /params, BN running stats to
// /buffers, the classifier (fc.*) and num_batches_tracked nowhere.
const NamedTensor* where_converted(const WeightFile& w, const nlohmann::json& fact, bool* dropped) {
  const std::string name = fact.at("name");
  const auto ends_with = [&name](const std::string& tail) {
    return name.size() >= tail.size() && name.compare(name.size() - tail.size(), tail.size(), tail) == 0;
  };
  *dropped = name.rfind("fc.", 0) == 0 || ends_with(".num_batches_tracked");
  if (*dropped) {
    EXPECT_EQ(w.find_param(name), nullptr) << name;
    EXPECT_EQ(w.find_buffer(name), nullptr) << name;
    return nullptr;
  }
  if (fact.at("kind") == "param") return w.find_param(name);
  EXPECT_TRUE(ends_with(".running_mean") || ends_with(".running_var")) << name;
  return w.find_buffer(name);
}

TEST_F(WeightFileTest, TorchvisionResnet18ConvertsWithEveryNameShapeAndValue) {
  const test::CommandResult probe = test::run_command(torch_python() + " -c 'import torch, torchvision, h5py'");
  if (probe.status != 0)
    GTEST_SKIP() << torch_python() << " cannot import torch, torchvision and h5py (set POSE_TORCH_PYTHON "
                 << "to a python that can): " << probe.output;
  const std::string pth = path("resnet18.pth");
  const std::string facts_file = path("resnet18.json");
  const std::string h5 = path("resnet18.h5");
  const test::CommandResult made = test::run_command(
      torch_python() + " " + test::source_dir() + "/tests/model/make_torchvision_pth.py --pth " + pth +
      " --json " + facts_file);
  ASSERT_EQ(made.status, 0) << made.output;
  const std::string converter = test::source_dir() + "/preprocess/weights/convert_torchvision.py";
  const test::CommandResult converted = test::run_command(torch_python() + " " + converter + " --in " + pth +
                                                          " --out " + h5);
  ASSERT_EQ(converted.status, 0) << converted.output;
  EXPECT_NE(converted.output.find("resnet18"), std::string::npos) << converted.output;

  const WeightFile w = read_weight_file(h5);
  EXPECT_EQ(w.source, "torchvision resnet18 from resnet18.pth");
  const nlohmann::json facts = nlohmann::json::parse(read_text_file(facts_file));
  std::size_t kept_params = 0, kept_buffers = 0;
  for (const nlohmann::json& fact : facts.at("tensors")) {
    const std::string name = fact.at("name");
    SCOPED_TRACE(name);
    bool dropped = false;
    const NamedTensor* t = where_converted(w, fact, &dropped);
    if (dropped) continue;
    ASSERT_NE(t, nullptr) << "missing from the weight file";
    (fact.at("kind") == "param" ? kept_params : kept_buffers)++;
    EXPECT_EQ(t->shape, fact.at("shape").get<std::vector<std::int64_t>>());
    ASSERT_EQ(static_cast<std::int64_t>(t->values.size()), t->numel());
    // float32 values were recorded as exact doubles.
    EXPECT_EQ(static_cast<double>(t->values.front()), fact.at("first").get<double>());
    EXPECT_EQ(static_cast<double>(t->values.back()), fact.at("last").get<double>());
    const double sum = std::accumulate(t->values.begin(), t->values.end(), 0.0);
    // Both sums are float64 over the same float32 values, in different orders.
    EXPECT_NEAR(sum, fact.at("sum").get<double>(), 1e-9 * static_cast<double>(t->values.size()));
  }
  EXPECT_EQ(w.params.size(), kept_params);  // nothing beyond the state dict's tensors
  EXPECT_EQ(w.buffers.size(), kept_buffers);
  EXPECT_EQ(kept_params, 60u);   // resnet18 without fc: 20 convs + 20 BN x (weight, bias)
  EXPECT_EQ(kept_buffers, 40u);  // 20 BN x (running_mean, running_var)

  const test::CommandResult refused =
      test::run_command(torch_python() + " " + converter + " --in " + path("absent.pth") + " --out " + h5);
  EXPECT_EQ(refused.status, 1) << refused.output;
  EXPECT_NE(refused.output.find("absent.pth' does not exist"), std::string::npos) << refused.output;
}

}  // namespace
}  // namespace pose
