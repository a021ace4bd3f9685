#include "colors.h"

#include <algorithm>
#include <cmath>

namespace pose::synth {
namespace {

Color jittered(Rng& rng, Color base, int amount) {
  Color c;
  for (int k = 0; k < 3; ++k) {
    const int value = base[k] + static_cast<int>(rng.below(2 * amount + 1)) - amount;
    c[k] = static_cast<std::uint8_t>(std::clamp(value, 0, 255));
  }
  return c;
}

}  // namespace

Color random_color(Rng& rng) {
  return {static_cast<std::uint8_t>(rng.below(256)), static_cast<std::uint8_t>(rng.below(256)),
          static_cast<std::uint8_t>(rng.below(256))};
}

Color limb_color(Rng& rng, Side side, Limb limb) {
  // The jitter (25) is smaller than every family's gap between red and blue (>= 150).
  constexpr int kJitter = 25;
  if (side == Side::kLeft) return jittered(rng, limb == Limb::kArm ? Color{215, 50, 40} : Color{235, 160, 30}, kJitter);
  return jittered(rng, limb == Limb::kArm ? Color{40, 80, 220} : Color{30, 185, 210}, kJitter);
}

Color skin_color(Rng& rng) {
  const double tone = rng.uniform();  // dark to light
  return {static_cast<std::uint8_t>(110 + 130 * tone), static_cast<std::uint8_t>(70 + 120 * tone),
          static_cast<std::uint8_t>(45 + 110 * tone)};
}

Color darker(Color c, double factor) {
  return {static_cast<std::uint8_t>(std::lround(c[0] * (1 - factor))),
          static_cast<std::uint8_t>(std::lround(c[1] * (1 - factor))),
          static_cast<std::uint8_t>(std::lround(c[2] * (1 - factor)))};
}

Color figure_like_color(Rng& rng) {
  switch (rng.below(5)) {
    case 0: return limb_color(rng, Side::kLeft, Limb::kArm);
    case 1: return limb_color(rng, Side::kLeft, Limb::kLeg);
    case 2: return limb_color(rng, Side::kRight, Limb::kArm);
    case 3: return limb_color(rng, Side::kRight, Limb::kLeg);
    default: return skin_color(rng);
  }
}

}  // namespace pose::synth
