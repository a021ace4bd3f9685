// The background of a scene and the things in it that are not people: a colour gradient,
// rectangles, ellipses and lines, some in the colours people wear (down to lone "limbs" with
// joint discs), and occluders dropped over people.
#pragma once

#include <vector>

#include "canvas.h"
#include "data/rng.h"
#include "geometry.h"

namespace pose::synth {

void paint_background(Canvas& canvas, Rng& rng);
// Draws one random shape of about `size` pixels centred at `centre`; returns its extent.
Box draw_clutter_shape(Canvas& canvas, Rng& rng, Point centre, double size);
// Draws `count` shapes at random places, up to `max_size` pixels; returns their extents.
std::vector<Box> scatter_clutter(Canvas& canvas, Rng& rng, int count, double max_size);

}  // namespace pose::synth
