# glmmTMB references for the Gamma fixtures (issue #13): the same models with
# the dispersion estimated by maximum likelihood (true Laplace), which
# FitOptions.dispersion = "ml" reproduces.  Writes glmmtmb.json beside each
# fixture's reference.json:
#   fixef (estimate, se), logLik, AIC, BIC, sigma (glmmTMB's sigma(): 1/sqrt(shape)),
#   dispersion phi = 1/shape with the SE of log(phi), and the random-effect SDs
#   (and correlations) of each term.
#
# Usage (from the repository root): Rscript packages/datasets/r/make-glmmtmb-references.R

suppressPackageStartupMessages({
  library(glmmTMB)
  library(jsonlite)
})

gamma_fixtures <- c(
  file.path("packages", "datasets", "fixtures", "gamma_log_laplace"),
  file.path("packages", "datasets", "extra-fixtures", "gamma_slopes_laplace"),
  file.path("packages", "datasets", "extra-fixtures", "gamma_crossed_reps_laplace")
)

for (dir in gamma_fixtures) {
  ref <- fromJSON(file.path(dir, "reference.json"), simplifyVector = TRUE)
  types <- unlist(ref$column_types)
  d <- read.csv(file.path(dir, "data.csv"), colClasses = ifelse(types == "categorical", "character", "numeric"))
  for (col in names(types)[types == "categorical"]) d[[col]] <- factor(d[[col]])
  fit <- glmmTMB(as.formula(ref$formula), data = d, family = Gamma(link = ref$link))
  cf <- summary(fit)$coefficients$cond
  # glmmTMB's Gamma dispersion parameter betad is log(shape) = -log(phi): the same SE.
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
    family = "gamma",
    link = ref$link,
    fixef = lapply(seq_len(nrow(cf)), function(i) list(name = rownames(cf)[i], estimate = cf[i, 1], se = cf[i, 2])),
    logLik = as.numeric(ll),
    df = attr(ll, "df"),
    AIC = AIC(fit),
    BIC = BIC(fit),
    sigma = sigma(fit),
    dispersion = exp(-betad),
    log_dispersion_se = se_betad,
    terms = terms
  )
  writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(dir, "glmmtmb.json"))
  message(sprintf("%s: logLik %.6f, dispersion %.6f (SE of log %.5f)", basename(dir), as.numeric(ll), exp(-betad), se_betad))
}
