import type { FamilyParameter, ModelMatrices, ParameterDerivatives } from '@glmm/core';
import type { GlmResponse } from '@glmm/engine';

/**
 * The derivative of the Laplace deviance in psi = log(family parameter), for
 * the exact-gradient kernels that already hold, per row, lev_i = zt_i M^{-1}
 * zt_i' and rho_i = zt_i M^{-1} Lambda'Z'(w' lev) (see ScalarTermsGradient):
 *
 *   f = sum_i a_i(eta_i, psi) + |u|^2 + log det M,   M = Lambda'Z'WZ Lambda + I,
 *   df/dpsi = sum_i [a_psi,i + W_psi,i lev_i - s_psi,i rho_i / 2],
 *
 * a_i = -2 log p(y_i | mu_i), s = da/deta, W the observed information
 * (half of d2a/deta2), each differentiated in psi at fixed eta: the envelope
 * theorem for the penalised deviance, tr(M^{-1} dM) for the log-determinant,
 * and the modes' implicit derivative du/dpsi = -(2M)^{-1} Lambda'Z' s_psi
 * folded into rho.  With a_mu = -2 pw (y - mu) / V (every family of the
 * exponential-dispersion kind at a fixed parameter) and the family's
 * derivatives in psi of a, V and V' (FamilyParameter.derivativesInLog):
 *
 *   a_mu,psi    = 2 pw (y - mu) V_psi / V^2,
 *   a_mumu,psi  = 2 pw [-V_psi / V^2 + (y - mu)(V'_psi V - 2 V_psi V') / V^3],
 *   s_psi = a_mu,psi mu',   W_psi = (a_mumu,psi mu'^2 + a_mu,psi mu'') / 2.
 */
export class ParameterGradient {
  private readonly derivatives: ParameterDerivatives;
  private readonly d2: Float64Array;
  private readonly dv: Float64Array;

  constructor(
    private readonly model: ModelMatrices,
    private readonly response: GlmResponse,
    private readonly parameter: FamilyParameter,
    /** The parameter's value the response's family is fixed at. */
    private readonly value: () => number,
  ) {
    const n = model.n;
    this.derivatives = { minusTwoLogLik: new Float64Array(n), variance: new Float64Array(n), varianceDerivative: new Float64Array(n) };
    this.d2 = new Float64Array(n);
    this.dv = new Float64Array(n);
  }

  /** Whether the pieces exist: the parameter's derivatives and the second derivatives of the observed information. */
  static applies(parameter: FamilyParameter, response: GlmResponse): boolean {
    return parameter.derivativesInLog !== undefined && response.hasObservedInformation;
  }

  /** df/dpsi at the mode the response and `eta` hold, from the kernel's lev and rho per row. */
  gradient(eta: Float64Array, lev: Float64Array, rho: Float64Array): number {
    const { model, response } = this;
    const { y, weights: pw } = model;
    const { mu, muEta, variance } = response;
    const n = model.n;
    const der = this.derivatives;
    this.parameter.derivativesInLog!(this.value(), y, mu, pw, der);
    const d2 = response.link.muEtaDerivative!(eta, this.d2);
    const dv = response.family.varianceDerivative!(mu, this.dv);
    const { minusTwoLogLik: aPsi, variance: vPsi, varianceDerivative: dvPsi } = der;
    let g = 0;
    for (let i = 0; i < n; i++) {
      const v = variance[i]!;
      const iv = 1 / v;
      const res = y[i]! - mu[i]!;
      const me = muEta[i]!;
      const w2 = 2 * pw[i]!;
      const aMuPsi = w2 * res * vPsi[i]! * iv * iv;
      const aMuMuPsi = w2 * iv * iv * (-vPsi[i]! + res * (dvPsi[i]! - 2 * vPsi[i]! * dv[i]! * iv));
      const sPsi = aMuPsi * me;
      const wPsi = 0.5 * (aMuMuPsi * me * me + aMuPsi * d2[i]!);
      g += aPsi[i]! + wPsi * lev[i]! - 0.5 * sPsi * rho[i]!;
    }
    return g;
  }
}
