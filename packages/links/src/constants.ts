/** Machine constants with R's names, so the clamps read like R's family.c and make.link. */
export const DBL_EPSILON = 2.220446049250313e-16;
export const DBL_MAX = Number.MAX_VALUE;
export const M_1_SQRT_2PI = 0.398942280401432677939946059934;
export const M_LN_SQRT_2PI = 0.918938533204672741780329736406;
