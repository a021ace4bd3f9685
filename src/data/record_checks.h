// The values a record may hold (docs/data_format.md): what pose_prepare refuses to write, and
// what the reader, --verify and the loader reject in a shard (damage shows up as impossible
// values: a visibility of 7, a joint at 1e30, a NaN centre).
#pragma once

#include <string>

#include "data/record.h"

namespace pose {

// Empty when every value of `r` is plausible, else the first problem found.
std::string record_problem(const PersonRecord& r);

}  // namespace pose
