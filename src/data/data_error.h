// A problem with one record's stored data (bytes outside the shard file, a short read). The
// loader skips and counts such records instead of stopping.
#pragma once

#include <cstddef>

#include "core/error.h"

namespace pose {

class DataError : public Error {
 public:
  DataError(std::size_t record, const std::string& message) : Error(message), record_(record) {}
  std::size_t record() const { return record_; }

 private:
  std::size_t record_;
};

}  // namespace pose
