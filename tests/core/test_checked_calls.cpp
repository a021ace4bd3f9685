// The checked-call wrappers: each failure names the place, the call and the library's reason.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/error.h"
#include "io/file.h"
#include "io/hdf5_check.h"
#if POSE_WITH_CUDA
#include "core/cuda/checks.h"
#endif

namespace pose {
namespace {

// Runs `fn`, expects an exception of type E, and returns its message.
template <typename E, typename Fn>
std::string message_of(Fn&& fn) {
  try {
    fn();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "no exception thrown";
  return "";
}

void expect_contains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "'" << part << "' not in: " << text;
}

TEST(PoseCheck, NamesTheConditionAndPlace) {
  const std::string msg = message_of<Error>([] { POSE_CHECK(1 + 1 == 3, "arithmetic is ", 2); });
  expect_contains(msg, "test_checked_calls.cpp:");
  expect_contains(msg, "1 + 1 == 3");
  expect_contains(msg, "arithmetic is 2");
}

TEST(FileIo, MissingFileIsAUserErrorWithPathAndReason) {
  const std::string msg =
      message_of<UserError>([] { File f("/nonexistent-dir/x.bin", "rb"); });
  expect_contains(msg, "/nonexistent-dir/x.bin");
  expect_contains(msg, "No such file or directory");
}

TEST(FileIo, ShortReadReportsTruncation) {
  const auto path = (std::filesystem::temp_directory_path() / "pose_short_read.bin").string();
  write_text_file(path, "abc");
  EXPECT_EQ(read_text_file(path), "abc");
  File f(path, "rb");
  char buffer[8];
  const std::string msg = message_of<UserError>([&] { f.read_exact(buffer, 8); });
  expect_contains(msg, "truncated");
  expect_contains(msg, "wanted 8 bytes, got 3");
  std::filesystem::remove(path);
}

TEST(Hdf5Check, ReportsTheCallAndTheLibraryStack) {
  quiet_hdf5_errors();
  const std::string msg = message_of<Error>([] {
    POSE_H5_CHECK(H5Fopen("/nonexistent-dir/w.h5", H5F_ACC_RDONLY, H5P_DEFAULT));
  });
  expect_contains(msg, "test_checked_calls.cpp:");
  expect_contains(msg, "H5Fopen(\"/nonexistent-dir/w.h5\"");
  expect_contains(msg, "unable to open file");
}

TEST(Hdf5Check, PassesResultsThrough) {
  EXPECT_EQ(POSE_H5_CHECK(0), 0);
  EXPECT_EQ(POSE_H5_CHECK(7), 7);
}

#if POSE_WITH_CUDA
// Status-to-text needs no GPU, so these run on every machine with the CUDA backend built.
TEST(CudaChecks, EachLibraryNamesItsStatus) {
  expect_contains(message_of<Error>([] { POSE_CUDA_CHECK(cudaErrorInvalidValue); }),
                  "cudaErrorInvalidValue");
  expect_contains(message_of<Error>([] { POSE_CUDNN_CHECK(CUDNN_STATUS_BAD_PARAM); }),
                  "CUDNN_STATUS_BAD_PARAM");
  const std::string nccl = message_of<Error>([] { POSE_NCCL_CHECK(ncclInvalidUsage); });
  expect_contains(nccl, "NCCL call failed: ncclInvalidUsage");
  expect_contains(nccl, "test_checked_calls.cpp:");
}
#endif

}  // namespace
}  // namespace pose
