/** Machine and mathematical constants with R's names (Rmath.h), so the code reads like R's nmath. */
export const DBL_EPSILON = 2.220446049250313e-16;
export const DBL_MIN = 2.2250738585072014e-308;
export const DBL_MAX = Number.MAX_VALUE;
export const M_1_SQRT_2PI = 0.398942280401432677939946059934;
export const M_LN_SQRT_2PI = 0.918938533204672741780329736406;
export const M_LN_2PI = 1.837877066409345483560659472811;
