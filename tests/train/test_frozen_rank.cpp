// A rank frozen with SIGSTOP on the MPI gradient path (run.comm = mpi) does not keep the job
// waiting: once run.comm_timeout has passed, the other rank stops the whole job with a message
// naming the collective. Real processes: 2 ranks under the MPI launcher, a real signal.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "../common/paths.h"
#include "../common/run_command.h"

namespace pose {
namespace {

namespace fs = std::filesystem;

using test::bin;

TEST(FrozenRank, TheJobStopsAfterTheCommTimeout) {
  const fs::path dir = fs::temp_directory_path() / ("pose_test_frozen_rank_" + std::to_string(getpid()));
  fs::remove_all(dir);
  const std::string data = (dir / "data").string();
  for (const std::string& command :
       {bin("pose_synth") + " --out " + data + " --train-images 16 --val-images 0 --seed 6",
        bin("pose_prepare") + " --coco-root " + data + " --split train2017 --shards 1 --quiet --out " + data +
            "/shards"}) {
    const auto r = test::run_command(command);
    ASSERT_EQ(r.status, 0) << command << "\n" << r.output;
  }
  const std::string log = (dir / "runs" / "tiny_cpu" / "train_log.jsonl").string();
  const std::string train = test::mpi_launch() + " 2 " + bin("pose_train") + " --config " + test::source_dir() +
                            "/configs/synthetic/tiny_cpu.ini --data.root " + data +
                            " --data.val_shards \"\" --run.output_dir " + (dir / "runs").string() +
                            " --data.loader_threads 1 --run.log_interval 1 --train.epochs 100000"
                            " --train.lr_steps 1 --run.comm mpi --run.comm_timeout 10";
  // Once training runs, freeze one rank; whatever happens, let it go again at the end.
  const std::string script = train + " & job=$!; for i in $(seq 600); do [ -s " + log +
                             " ] && break; sleep 0.1; done; frozen=$(pgrep -n -P $job pose_train); "
                             "kill -STOP $frozen; wait $job; echo status=$?; kill -CONT $frozen 2>/dev/null; true";
  const auto r = test::run_command("bash -c '" + script + "'", 120);
  EXPECT_NE(r.status, 124) << "the job waited for the frozen rank:\n" << r.output;
  EXPECT_EQ(r.output.find("status=0"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("has not finished after 10 s (run.comm_timeout)"), std::string::npos) << r.output;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace pose
