// The run folder (<run.output_dir>/<run.name>) belongs to one training job at a time, and a
// new run never overwrites an earlier one's files without being asked to.
//
// RunFolderLock: rank 0 holds a POSIX record lock (fcntl) on <run>/run.lock for the job's
// lifetime. The kernel drops it when the process ends in any way (exit, crash, kill -9), so a
// lock left by a dead job never blocks the next one; the file itself stays and records the
// last holder (host, process id, start time) for the message a second job gets.
//
// check_run_start: a start that does not continue the folder's own latest checkpoint (a fresh
// start, or --run.resume FILE from elsewhere) in a folder holding an earlier run's files is
// refused, unless run.overwrite is set; then those files are removed first, so the new run's
// log and checkpoints never mix with the old one's.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace pose {

class RunFolderLock {
 public:
  // Throws UserError naming the folder and the holder when another live process holds it.
  // On a file system without locks it warns and holds nothing.
  explicit RunFolderLock(const std::string& run_dir);
  RunFolderLock(const RunFolderLock&) = delete;
  RunFolderLock& operator=(const RunFolderLock&) = delete;
  ~RunFolderLock();

 private:
  int fd_ = -1;
};

// The files of an earlier run found in `run_dir` (names relative to it).
std::vector<std::string> earlier_run_files(const std::string& run_dir);

// Refuses or clears the folder as described above; returns what it removed.
std::vector<std::string> check_run_start(const std::string& run_dir, const RunSection& run);

}  // namespace pose
