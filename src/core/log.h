// Logging for multi-rank runs. info() prints on rank 0 only (unless every rank was asked to
// log); warn() and error() print on every rank, tagged with the rank, because a problem on one
// rank is exactly what the user needs to see. Each line starts with the wall-clock time (UTC)
// and the seconds since this process started:
//   [2026-12-01 23:14:02Z    12.3s rank 1] warning: ...
// The seconds restart at 0 in every job (a requeued run is a new process); the clock time
// lets the lines of successive jobs be put in order.
#pragma once

#include <string>

#include "core/error.h"

namespace pose::log {

// Called once the rank is known; before that every process logs as if it were rank 0.
void set_rank(int rank, int world_size, bool all_ranks_log);

// From now on this process's lines also go to `path` (appended), beginning with the lines it
// already printed (kept in memory until a file is given), so the file holds the whole
// console output of the job. UserError naming the path when it cannot be opened.
void copy_to_file(const std::string& path);

void write_info(const std::string& message);
void write_warn(const std::string& message);
void write_error(const std::string& message);

template <typename... Parts>
void info(const Parts&... parts) { write_info(cat(parts...)); }
template <typename... Parts>
void warn(const Parts&... parts) { write_warn(cat(parts...)); }
template <typename... Parts>
void error(const Parts&... parts) { write_error(cat(parts...)); }

}  // namespace pose::log
