// Checkpoints: everything a resume needs comes back exactly, and a write that never finished
// (its temporary file cut short) leaves the previous checkpoint loadable.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../common/network_helpers.h"
#include "config/config.h"
#include "core/error.h"
#include "io/file.h"
#include "model/weights.h"
#include "train/checkpoint.h"
#include "train/optimizer.h"

namespace pose {
namespace {

using test::tiny_spec;

class CheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pose_test_checkpoint_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
  DeviceContext ctx_ = DeviceContext::cpu();
};

OptimizerState some_state(const PoseResNet& net) {
  OptimizerState s;
  s.m.assign(net.params().numel(), 0.0f);
  s.v.assign(net.params().numel(), 0.0f);
  for (const ParamInfo& p : net.params().infos())
    for (std::int64_t i = 0; i < p.shape.numel(); ++i) {
      s.m[p.offset + i] = 0.001f * static_cast<float>(i % 17) - 0.004f;
      s.v[p.offset + i] = 1e-6f * static_cast<float>(i % 5);
    }
  s.step_state = {512.0f, 0.0f, 41.0f, 12.0f};
  return s;
}

TEST_F(CheckpointTest, EverythingComesBackExactly) {
  PoseResNet net(tiny_spec(), ctx_, 2), restored(tiny_spec(), ctx_, 2);
  init_weights(net, 5);
  const OptimizerState state = some_state(net);
  const TrainProgress progress{3, 17, 117, 0.625, 2, 64};
  write_checkpoint(path("c.h5"), net, state, progress, "[run]\nseed = 5\n");

  const LoadedCheckpoint back = read_checkpoint(path("c.h5"), restored);
  const float* a = net.params().all_master().as<float>();
  EXPECT_TRUE(std::equal(a, a + net.params().numel(), restored.params().all_master().as<float>()));
  const float* sa = net.stats().all_master().as<float>();
  EXPECT_TRUE(std::equal(sa, sa + net.stats().numel(), restored.stats().all_master().as<float>()));
  EXPECT_EQ(back.optimizer.m, state.m);
  EXPECT_EQ(back.optimizer.v, state.v);
  EXPECT_EQ(back.optimizer.step_state, state.step_state);
  EXPECT_EQ(back.progress.epoch, 3);
  EXPECT_EQ(back.progress.step, 17);
  EXPECT_EQ(back.progress.global_step, 117);
  EXPECT_EQ(back.progress.best_ap, 0.625);
  EXPECT_EQ(back.progress.best_epoch, 2);
  EXPECT_EQ(back.progress.global_batch, 64);
  EXPECT_EQ(back.config_ini, "[run]\nseed = 5\n");
  // A checkpoint is also a weight file.
  EXPECT_NO_THROW(read_weight_file(path("c.h5")));
}

TEST_F(CheckpointTest, AnUnfinishedWriteLeavesThePreviousCheckpoint) {
  PoseResNet net(tiny_spec(), ctx_, 1), restored(tiny_spec(), ctx_, 1);
  init_weights(net, 1);
  write_checkpoint(path("latest.h5"), net, some_state(net), TrainProgress{1, 0, 10, -1, -1, 8}, "");
  // A writer killed mid-write leaves only its temporary file, cut short (this process's name
  // for it: a later write of the same process reuses and replaces it).
  const std::string partial = temporary_path_for(path("latest.h5"));
  {
    std::ifstream in(path("latest.h5"), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(partial, std::ios::binary) << bytes.substr(0, bytes.size() / 3);
  }
  EXPECT_EQ(read_checkpoint(path("latest.h5"), restored).progress.global_step, 10);
  // The next write replaces both.
  write_checkpoint(path("latest.h5"), net, some_state(net), TrainProgress{2, 0, 20, -1, -1, 8}, "");
  EXPECT_FALSE(std::filesystem::exists(partial));
  EXPECT_EQ(read_checkpoint(path("latest.h5"), restored).progress.global_step, 20);
}

TEST_F(CheckpointTest, DamagedOrForeignFilesAreNamed) {
  PoseResNet net(tiny_spec(), ctx_, 1), other(tiny_spec(), ctx_, 1);
  init_weights(net, 1);
  write_checkpoint(path("c.h5"), net, some_state(net), TrainProgress{}, "");
  std::filesystem::resize_file(path("c.h5"), std::filesystem::file_size(path("c.h5")) / 2);
  try {
    read_checkpoint(path("c.h5"), other);
    FAIL() << "a truncated checkpoint was accepted";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find(path("c.h5")), std::string::npos) << e.what();
  }
  // Plain weights are not a checkpoint.
  write_weight_file(path("w.h5"), export_weights(net, "test"));
  try {
    read_checkpoint(path("w.h5"), other);
    FAIL() << "plain weights were accepted as a checkpoint";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("not a pose_train checkpoint"), std::string::npos) << e.what();
  }
  // A checkpoint of another network names the tensor.
  PoseResNetSpec wider = tiny_spec();
  wider.base_width = 8;
  PoseResNet different(wider, ctx_, 1);
  write_checkpoint(path("c2.h5"), net, some_state(net), TrainProgress{}, "");
  try {
    read_checkpoint(path("c2.h5"), different);
    FAIL() << "a checkpoint of another network was accepted";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("conv1.weight"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace pose
