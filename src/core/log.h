// Logging for multi-rank runs. info() prints on rank 0 only (unless every rank was asked to
// log); warn() and error() print on every rank, tagged with the rank, because a problem on one
// rank is exactly what the user needs to see.
#pragma once

#include <string>

#include "core/error.h"

namespace pose::log {

// Called once the rank is known; before that every process logs as if it were rank 0.
void set_rank(int rank, int world_size, bool all_ranks_log);

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
