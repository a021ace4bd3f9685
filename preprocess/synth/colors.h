// Colours of the synthetic world. A person's left limbs are warm (red arm, orange leg) and the
// right limbs cool (blue arm, cyan leg), whichever way the person faces, so left and right can
// be told apart and a horizontal flip changes the labels. Each family is jittered per person
// but always keeps its sign of red minus blue.
#pragma once

#include "canvas.h"
#include "data/rng.h"

namespace pose::synth {

enum class Side { kLeft, kRight };
enum class Limb { kArm, kLeg };

Color random_color(Rng& rng);
Color limb_color(Rng& rng, Side side, Limb limb);
Color skin_color(Rng& rng);
// `c` scaled towards black by `factor` in [0, 1].
Color darker(Color c, double factor);
// A colour a figure could have (a limb family or skin), for clutter that is not trivially told
// apart from people.
Color figure_like_color(Rng& rng);

}  // namespace pose::synth
