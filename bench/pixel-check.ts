/**
 * How the bench compares two crops of the same picture: both scaled to a small square, then the
 * mean absolute difference per channel (0-255).
 */
export const PIXEL_CHECK_SIDE = 64;

/** Below this mean difference two crops are the same picture: rounding and resampling, not a shift, a turn or a mirror. */
export const SAME_PICTURE_BELOW = 4;
