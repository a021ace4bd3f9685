#include "data/checksum.h"

#include <cstdio>

namespace pose {

std::uint64_t checksum_update(std::uint64_t sum, const void* data, std::size_t bytes) {
  constexpr std::uint64_t kPrime = 0x100000001b3ULL;  // FNV-1a 64 prime
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < bytes; ++i) sum = (sum ^ p[i]) * kPrime;
  return sum;
}

std::string checksum_text(std::uint64_t sum) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(sum));
  return text;
}

}  // namespace pose
