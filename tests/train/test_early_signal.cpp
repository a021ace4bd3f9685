// A SIGTERM that reaches pose_train before any of its own code has run (here: sent while the
// signal is still blocked, so it waits as pending from the first instruction) still ends the
// run the way a later one does: a checkpoint and exit status 4, never a kill (143), which
// under Slurm would lose the requeue.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "../common/paths.h"
#include "../common/run_command.h"

namespace pose {
namespace {

namespace fs = std::filesystem;

using test::bin;

TEST(EarlySignal, SigtermBeforeSetUpEndsInACheckpoint) {
  const fs::path dir = fs::temp_directory_path() / ("pose_test_early_signal_" + std::to_string(getpid()));
  fs::remove_all(dir);
  const std::string data = (dir / "data").string();
  for (const std::string& command :
       {bin("pose_synth") + " --out " + data + " --train-images 16 --val-images 0 --seed 3",
        bin("pose_prepare") + " --coco-root " + data + " --split train2017 --boxes gt --shards 1 --out " + data +
            "/shards --quiet"}) {
    const auto r = test::run_command(command);
    ASSERT_EQ(r.status, 0) << command << "\n" << r.output;
  }
  const std::vector<std::string> args = {bin("pose_train"),
                                         "--config", test::source_dir() + "/configs/synthetic/tiny_cpu.ini",
                                         "--data.root", data,
                                         "--data.val_shards", "",
                                         "--run.output_dir", (dir / "runs").string(),
                                         "--run.name", "early",
                                         "--data.loader_threads", "1",
                                         "--train.epochs", "20",
                                         "--train.lr_steps", "1"};
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  // The child starts with SIGTERM blocked (the mask survives exec); the signal is sent at once
  // and stays pending until pose_train installs its handler.
  sigset_t term, saved;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  ASSERT_EQ(sigprocmask(SIG_BLOCK, &term, &saved), 0);
  const pid_t child = fork();
  if (child == 0) {
    execv(argv[0], argv.data());
    _exit(127);
  }
  sigprocmask(SIG_SETMASK, &saved, nullptr);
  ASSERT_GT(child, 0);
  ASSERT_EQ(kill(child, SIGTERM), 0);
  int raw = 0;
  ASSERT_EQ(waitpid(child, &raw, 0), child);
  ASSERT_TRUE(WIFEXITED(raw)) << "pose_train was killed by signal " << WTERMSIG(raw);
  EXPECT_EQ(WEXITSTATUS(raw), 4);
  EXPECT_TRUE(fs::exists(dir / "runs" / "early" / "checkpoint_latest.h5"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace pose
