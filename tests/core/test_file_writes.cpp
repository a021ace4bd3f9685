// Checked file writes and reads (io/file.h) against real failures:
// - a write that fails part-way (the file-size limit of RLIMIT_FSIZE stands in for a full disk:
//   the kernel refuses the bytes past it, as it does on a full disk) leaves the old file whole
//   and no temporary file behind, and is a UserError naming the file;
// - temporary names differ between processes, so two jobs never write into one temporary file;
// - a folder given where a file is expected is a UserError naming it.
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>

#include "core/error.h"
#include "io/file.h"

namespace pose {
namespace {

namespace fs = std::filesystem;

class FileWrites : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pose_test_file_writes_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

// Lowers this process's file-size limit for the scope (SIGXFSZ ignored, so the write fails with
// EFBIG instead of killing the process) and restores both afterwards.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = saved_;
    limited.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &limited);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit saved_{};
  void (*old_handler_)(int) = nullptr;
};

TEST_F(FileWrites, AFailedWriteKeepsTheOldFileWhole) {
  const std::string path = (dir_ / "results.json").string();
  write_text_file(path, "old contents\n");
  std::string message;
  {
    FileSizeLimit limit(4096);
    try {
      write_text_file(path, std::string(1 << 20, 'x'));
    } catch (const UserError& e) {
      message = e.what();
    }
  }
  EXPECT_NE(message.find("results.json"), std::string::npos) << message;
  EXPECT_EQ(read_text_file(path), "old contents\n");
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) files += entry.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, 1u) << "a temporary file was left behind";
}

TEST_F(FileWrites, AFinishedWriteReplacesTheFile) {
  const std::string path = (dir_ / "index.json").string();
  write_text_file(path, "first");
  write_text_file(path, "second, longer");
  EXPECT_EQ(read_text_file(path), "second, longer");
}

TEST_F(FileWrites, TemporaryNamesDifferBetweenProcesses) {
  const std::string path = (dir_ / "checkpoint_latest.h5").string();
  int pipe_ends[2];
  ASSERT_EQ(pipe(pipe_ends), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string name = temporary_path_for(path);
    const ssize_t written = write(pipe_ends[1], name.data(), name.size());
    _exit(written == static_cast<ssize_t>(name.size()) ? 0 : 1);
  }
  close(pipe_ends[1]);
  char text[4096] = {};
  const ssize_t n = read(pipe_ends[0], text, sizeof text - 1);
  close(pipe_ends[0]);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_GT(n, 0);
  const std::string theirs(text, static_cast<std::size_t>(n));
  EXPECT_NE(theirs, temporary_path_for(path));
  EXPECT_EQ(theirs.rfind(path, 0), 0u) << "the temporary file lies beside the real one: " << theirs;
}

TEST_F(FileWrites, AFolderWhereAFileIsExpectedIsNamed) {
  try {
    read_text_file(dir_.string());
    FAIL() << "a folder was read as a file";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find(dir_.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("folder"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace pose
