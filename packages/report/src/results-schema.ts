/**
 * JSON Schema (draft-07) of the results contract `GlmmResults` of @glmm/core.
 * Every number must be finite: JSON has no NaN or Infinity.
 */

const num = { type: 'number' } as const;
const nonNegative = { type: 'number', minimum: 0 } as const;
const count = { type: 'integer', minimum: 0 } as const;
const numberArray = { type: 'array', items: num } as const;
const str = { type: 'string' } as const;

export const WARNING_CODES = [
  'singular-fit',
  'not-converged',
  'boundary-correlation',
  'pirls-step-halving',
  'separation',
  'hessian-not-positive-definite',
  'rows-excluded',
  'few-groups',
  'rank-deficient-fixed-effects',
  'large-eigenvalue-ratio',
  'pseudo-likelihood',
  'groups-of-size-one',
  'more-random-effects-than-observations',
  'perfect-fit',
  'variance-at-floor',
  'small-clusters',
] as const;

export const resultsSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://glmm.local/schemas/glmm-results-v2.json',
  title: 'GlmmResults',
  description:
    'Results of one generalized linear mixed model fit: one shape for every family and estimator (schemaVersion 2). ' +
    'Version 2 keeps the per-row diagnostics out of the JSON unless asked for (diagnosticsOutput says where they went), ' +
    'so that its size grows with the parameters and levels, not with the rows.',
  type: 'object',
  additionalProperties: false,
  required: [
    'schemaVersion',
    'formula',
    'family',
    'link',
    'method',
    'nAGQ',
    'nobs',
    'ngroups',
    'excluded',
    'fixedEffects',
    'vcovFixed',
    'varianceComponents',
    'theta',
    'sigma',
    'dispersion',
    'icc',
    'fit',
    'randomEffects',
    'diagnosticsOutput',
    'singular',
    'convergence',
    'warnings',
    'timing',
  ],
  properties: {
    schemaVersion: { const: 2 },
    formula: { type: 'string', description: 'Model formula in lme4 syntax.' },
    family: { type: 'string', description: 'Response family name (gaussian, binomial, poisson, gamma, ...).' },
    link: { type: 'string', description: 'Link function name.' },
    method: { type: 'string', description: 'Estimation method: REML, ML, Laplace or AGQ.' },
    nAGQ: { type: 'integer', minimum: 0, description: 'Quadrature points of a GLMM fit (1 = Laplace, > 1 = adaptive Gauss-Hermite); 0 for REML/ML, whose integral is exact.' },
    nobs: { ...count, description: 'Rows used in the fit.' },
    ngroups: {
      type: 'object',
      description: 'Number of observed levels per grouping factor.',
      additionalProperties: count,
    },
    excluded: {
      type: 'object',
      description: 'Input rows left out of the fit and why.',
      additionalProperties: false,
      required: ['count', 'byReason', 'rows'],
      properties: {
        count,
        byReason: { type: 'object', additionalProperties: count },
        rows: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['row', 'column', 'reason'],
            properties: {
              row: { type: 'integer', minimum: 1, description: '1-based input row (not counting a header).' },
              column: str,
              reason: { enum: ['missing', 'non-numeric', 'non-finite', 'excluded by request'] },
              value: str,
            },
          },
        },
      },
    },
    fixedEffects: {
      type: 'array',
      description:
        'Fixed-effect estimates with Wald statistics: statistic = estimate / stdError, two-sided p-value from the standard normal, Wald confidence interval estimate -/+ z * stdError.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'estimate', 'stdError', 'statistic', 'pValue', 'ciLower', 'ciUpper'],
        properties: {
          name: str,
          estimate: num,
          stdError: nonNegative,
          statistic: num,
          pValue: { type: 'number', minimum: 0, maximum: 1 },
          ciLower: num,
          ciUpper: num,
          df: { type: ['number', 'null'], minimum: 0, description: 'Degrees of freedom of t (null for z); present when dfMethod is.' },
        },
      },
    },
    dfMethod: {
      enum: ['satterthwaite', 'residual', 'z'],
      description:
        "Reference distribution of the fixed effects' statistics: z the normal; residual t with n - p degrees of freedom (fitglme); satterthwaite t with Satterthwaite's degrees of freedom (lmerTest). Absent: z.",
    },
    confidenceLevel: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, description: "Level of the fixed effects' confidence intervals." },
    vcovFixed: {
      type: 'array',
      description: 'Covariance matrix of the fixed effects, row-major, p x p in the order of fixedEffects.',
      items: numberArray,
    },
    varianceComponents: {
      type: 'array',
      description:
        "Variance components in lme4's VarCorr order: per random-effects term one row per variance (term set, term2 absent) " +
        'then one row per covariance (term and term2 set). On covariance rows `variance` and `covariance` hold the covariance ' +
        "and `stdDev` and `correlation` hold the correlation, as lme4's as.data.frame(VarCorr()) columns vcov and sdcor. " +
        "`group` is the plain grouping-factor name even where lme4 prints a second term on the same factor as 'Subject.1'. " +
        "Families with an estimated dispersion end with a 'Residual' row (term null, variance = sigma^2, stdDev = sigma).",
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['group', 'term', 'variance', 'stdDev'],
        properties: {
          group: str,
          term: { type: ['string', 'null'] },
          variance: num,
          stdDev: num,
          term2: str,
          correlation: { type: 'number', minimum: -1, maximum: 1 },
          covariance: num,
        },
        if: { required: ['term2'] },
        then: { required: ['correlation', 'covariance'] },
        else: { properties: { variance: nonNegative, stdDev: nonNegative } },
      },
    },
    theta: { ...numberArray, description: "Relative covariance factor parameters in lme4's order." },
    sigma: { ...nonNegative, description: "Residual standard deviation (lme4's sigma(); 1 for binomial and Poisson)." },
    dispersion: { ...nonNegative, description: 'Dispersion phi: sigma^2 for families with a dispersion, 1 otherwise.' },
    icc: {
      type: 'array',
      description:
        "Intraclass correlation per grouping factor at covariates = 0: the factor's variance (sum of its terms' intercept variances, " +
        'or the variance of its first column when it has no intercept) over the sum of all factors\' variances plus the residual ' +
        'variance on the latent scale. Empty when the family defines no latent residual variance for the link.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['group', 'value', 'designEffect', 'meanGroupSize', 'residualVariance', 'formula'],
        properties: {
          group: str,
          value: { type: 'number', minimum: 0, maximum: 1 },
          designEffect: { ...num, description: '1 + (meanGroupSize - 1) * ICC.' },
          meanGroupSize: { ...nonNegative, description: 'nobs / number of levels.' },
          residualVariance: nonNegative,
          formula: str,
        },
      },
    },
    fit: {
      type: 'object',
      additionalProperties: false,
      required: ['logLik', 'df', 'aic', 'bic', 'deviance', 'conditionalDeviance', 'remlCriterion'],
      properties: {
        logLik: { ...num, description: 'Log-likelihood (REML log-likelihood for REML fits; Laplace/AGQ approximation for GLMMs).' },
        df: { ...count, description: 'Number of estimated parameters.' },
        aic: { ...num, description: '-2 logLik + 2 df.' },
        bic: { ...num, description: '-2 logLik + log(nobs) df.' },
        deviance: { ...num, description: '-2 logLik.' },
        conditionalDeviance: { ...num, description: 'Sum of squared deviance residuals at the conditional modes.' },
        remlCriterion: { type: ['number', 'null'], description: '-2 REML logLik for REML fits, null otherwise.' },
      },
    },
    randomEffects: {
      type: 'array',
      description: 'Conditional modes (BLUPs) and conditional standard deviations per term, level and column.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['group', 'term', 'level', 'value', 'condSd'],
        properties: { group: str, term: str, level: str, value: num, condSd: nonNegative },
      },
    },
    diagnosticsOutput: {
      type: 'object',
      description:
        'Where the per-row diagnostics went: into this JSON as `diagnostics` only when asked for (glmm fit --diagnostics-inline), ' +
        'into a CSV or NDJSON file (glmm fit --diagnostics FILE), or nowhere (the library keeps them in memory as results.diagnostics).',
      additionalProperties: false,
      required: ['rows', 'inline', 'file', 'format'],
      properties: {
        rows: { ...count, description: 'Rows of per-row output (nobs).' },
        inline: { type: 'boolean', description: 'Whether `diagnostics` is in this JSON.' },
        file: { type: ['string', 'null'], description: 'File the per-row output was written to, or null.' },
        format: { enum: ['csv', 'ndjson', null], description: 'Format of that file, or null.' },
      },
    },
    diagnostics: {
      type: 'object',
      description: 'Per-row diagnostics, column-wise; all arrays have nobs entries. Present only when diagnosticsOutput.inline is true.',
      additionalProperties: false,
      required: [
        'row',
        'fitted',
        'linearPredictor',
        'responseResiduals',
        'devianceResiduals',
        'pearsonResiduals',
        'randomEffects',
      ],
      properties: {
        row: { type: 'array', items: { type: 'integer', minimum: 1 }, description: '1-based input row numbers.' },
        fitted: numberArray,
        linearPredictor: numberArray,
        responseResiduals: numberArray,
        devianceResiduals: numberArray,
        pearsonResiduals: numberArray,
        randomEffects: {
          type: 'object',
          description: "Keys 'group|column': each row's conditional mode of that term column.",
          propertyNames: { pattern: '^[^|]+\\|.+$' },
          additionalProperties: numberArray,
        },
      },
    },
    singular: { type: 'boolean' },
    convergence: {
      type: 'object',
      additionalProperties: false,
      required: ['converged', 'iterations', 'evaluations', 'optimizer', 'message'],
      properties: {
        converged: { type: 'boolean' },
        iterations: count,
        evaluations: count,
        optimizer: str,
        message: str,
      },
    },
    warnings: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'message', 'advice'],
        properties: { code: { enum: WARNING_CODES }, message: str, advice: str },
      },
    },
    familyParameter: {
      description: 'A family parameter estimated by maximum likelihood (negative binomial shape, ML dispersion) with its SE; null when none',
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'estimate', 'stdError'],
          properties: { name: str, estimate: { type: 'number' }, stdError: { anyOf: [{ type: 'null' }, nonNegative] } },
        },
      ],
    },
    timing: {
      type: 'object',
      additionalProperties: false,
      required: ['fitSeconds'],
      properties: { fitSeconds: nonNegative, loadSeconds: nonNegative },
    },
  },
} as const;
