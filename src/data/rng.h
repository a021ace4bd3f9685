// A small counter-seeded random generator. Each sample's augmentation draws from its own Rng
// seeded by (run seed, epoch, record index), so results do not depend on which loader thread
// handles which sample, or on how many threads there are.
#pragma once

#include <cmath>
#include <cstdint>

namespace pose {

// SplitMix64: a strong 64-bit mix, used to derive independent seeds from counters.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  Rng(std::uint64_t seed, std::uint64_t stream, std::uint64_t index)
      : state_(mix64(mix64(mix64(seed) ^ stream) ^ index)) {}

  std::uint64_t next_u64() { return mix64(state_++); }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n).
  std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : next_u64() % n; }
  // Standard normal (Box-Muller; one draw per call keeps the sequence simple to reason about).
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]: log is finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  std::uint64_t state_;
};

}  // namespace pose
