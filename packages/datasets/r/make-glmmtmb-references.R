# glmmTMB references for the GLMM fixtures with a dispersion (issue #13): the
# three Gamma fixtures and the gaussian one with the log link, refitted with
# the dispersion estimated by maximum likelihood (true Laplace), which
# FitOptions.dispersion = "ml" reproduces.  Writes glmmtmb.json beside each
# fixture's reference.json:
#   fixef (estimate, se), logLik, AIC, BIC, sigma (glmmTMB's sigma(): 1/sqrt(shape)
#   for Gamma, the residual SD for gaussian), dispersion phi (1/shape; sigma^2)
#   with the SE of log(phi), and the random-effect SDs (and correlations) of each term.
#
# Usage (from the repository root): Rscript packages/datasets/r/make-glmmtmb-references.R

suppressPackageStartupMessages({
  library(glmmTMB)
  library(jsonlite)
})

dispersion_fixtures <- c(
  file.path("packages", "datasets", "fixtures", "gamma_log_laplace"),
  file.path("packages", "datasets", "extra-fixtures", "gamma_slopes_laplace"),
  file.path("packages", "datasets", "extra-fixtures", "gamma_crossed_reps_laplace"),
  file.path("packages", "datasets", "extra-fixtures", "gaussian_log_laplace")
)

for (dir in dispersion_fixtures) {
  ref <- fromJSON(file.path(dir, "reference.json"), simplifyVector = TRUE)
  types <- unlist(ref$column_types)
  d <- read.csv(file.path(dir, "data.csv"), colClasses = ifelse(types == "categorical", "character", "numeric"))
  for (col in names(types)[types == "categorical"]) d[[col]] <- factor(d[[col]])
  gamma <- ref$family == "gamma"
  fit <- glmmTMB(as.formula(ref$formula), data = d, family = if (gamma) Gamma(link = ref$link) else gaussian(link = ref$link))
  cf <- summary(fit)$coefficients$cond
  # glmmTMB's dispersion parameter betad is log(shape) = -log(phi) for Gamma and
  # log(sigma^2) = log(phi) for gaussian: either way the SE of log(phi) is that of betad.
  betad <- unname(fixef(fit)$disp)
  se_betad <- unname(sqrt(diag(fit$sdr$cov.fixed))[names(fit$sdr$par.fixed) == "betad"])
  vc <- VarCorr(fit)$cond
  terms <- lapply(names(vc), function(g) {
    m <- vc[[g]]
    list(group = g, names = I(colnames(m)), sd = I(unname(attr(m, "stddev"))), correlation = unname(attr(m, "correlation")))
  })
  ll <- logLik(fit)
  out <- list(
    source = sprintf("R %s.%s, glmmTMB %s (Laplace, dispersion by maximum likelihood)", R.version$major, R.version$minor,
      as.character(packageVersion("glmmTMB"))),
    formula = ref$formula,
    family = ref$family,
    link = ref$link,
    fixef = lapply(seq_len(nrow(cf)), function(i) list(name = rownames(cf)[i], estimate = cf[i, 1], se = cf[i, 2])),
    logLik = as.numeric(ll),
    df = attr(ll, "df"),
    AIC = AIC(fit),
    BIC = BIC(fit),
    sigma = sigma(fit),
    dispersion = if (gamma) exp(-betad) else exp(betad),
    log_dispersion_se = se_betad,
    terms = terms
  )
  writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(dir, "glmmtmb.json"))
  message(sprintf("%s: logLik %.6f, dispersion %.6f (SE of log %.5f)", basename(dir), as.numeric(ll), out$dispersion, out$log_dispersion_se))
}
