#include "train/run_folder.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "core/error.h"
#include "core/log.h"
#include "train/checkpoint.h"

namespace pose {
namespace {

namespace fs = std::filesystem;

constexpr const char* kLockFile = "run.lock";

// What a training run writes into its folder and a new run must not mix with. Not the lock
// file, and not console.log, which every job appends to (a job that stopped on bad input
// leaves one, and must not block the next start).
const std::vector<std::string>& run_file_names() {
  static const std::vector<std::string> names = {"checkpoint_latest.h5", "checkpoint_best.h5", "train_log.jsonl",
                                                 "config.ini", "results"};
  return names;
}

std::string holder_text() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) std::strcpy(host, "?");
  const std::time_t now = std::time(nullptr);
  char when[32] = {};
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return cat("host ", host, ", process ", getpid(), ", since ", when);
}

std::string read_holder(int fd) {
  char text[512] = {};
  const ssize_t n = pread(fd, text, sizeof text - 1, 0);
  std::string holder = n > 0 ? std::string(text, static_cast<std::size_t>(n)) : std::string("unknown");
  while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0')) holder.pop_back();
  return holder;
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code error;
  return fs::exists(a, error) && fs::exists(b, error) && fs::equivalent(a, b, error);
}

}  // namespace

RunFolderLock::RunFolderLock(const std::string& run_dir) {
  const std::string path = run_dir + "/" + kLockFile;
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw UserError(cat("cannot open the run folder's lock file '", path, "': ", std::strerror(errno)));
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  if (fcntl(fd_, F_SETLK, &lock) == 0) {
    const std::string holder = holder_text() + "\n";
    if (ftruncate(fd_, 0) != 0 || pwrite(fd_, holder.data(), holder.size(), 0) < 0)
      log::warn("cannot record this job in the lock file '", path, "': ", std::strerror(errno));
    return;
  }
  const int reason = errno;
  if (reason == EACCES || reason == EAGAIN) {
    const std::string holder = read_holder(fd_);
    ::close(fd_);
    fd_ = -1;
    throw UserError(cat("run folder '", run_dir, "' is in use by another training job (", holder,
                        "): wait for it to end, or give this run another --run.name"));
  }
  // NFS without a lock daemon, some parallel file systems: no locks to be had.
  log::warn("cannot lock the run folder '", run_dir, "' (", std::strerror(reason),
            "): this file system has no file locks, so make sure no other job trains into this folder");
  ::close(fd_);
  fd_ = -1;
}

RunFolderLock::~RunFolderLock() {
  if (fd_ >= 0) ::close(fd_);  // closing drops the lock
}

std::vector<std::string> earlier_run_files(const std::string& run_dir) {
  std::vector<std::string> found;
  std::error_code error;
  for (const std::string& name : run_file_names())
    if (fs::exists(fs::path(run_dir) / name, error)) found.push_back(name);
  return found;
}

std::vector<std::string> check_run_start(const std::string& run_dir, const RunSection& run) {
  const std::string latest = latest_checkpoint_path(run_dir);
  if (run.resume == "auto" || (!run.resume.empty() && same_file(run.resume, latest))) return {};
  const std::vector<std::string> found = earlier_run_files(run_dir);
  if (found.empty()) return {};
  std::string list;
  for (const std::string& name : found) list += (list.empty() ? "" : ", ") + name;
  if (!run.overwrite) {
    const std::string start = run.resume.empty() ? "a fresh start" : cat("a start from '", run.resume, "'");
    throw UserError(cat("run folder '", run_dir, "' holds an earlier run (", list, ") that ", start,
                        " would overwrite: continue it with --run.resume auto, replace it with "
                        "--run.overwrite true, or give this run another --run.name"));
  }
  std::vector<std::string> removed;
  for (const std::string& name : found) {
    const fs::path path = fs::path(run_dir) / name;
    // The checkpoint this start reads from stays until it is read (then it is overwritten).
    if (!run.resume.empty() && same_file(run.resume, path.string())) continue;
    std::error_code error;
    fs::remove_all(path, error);
    if (error) throw UserError(cat("run.overwrite: cannot remove '", path.string(), "': ", error.message()));
    removed.push_back(name);
  }
  return removed;
}

}  // namespace pose
