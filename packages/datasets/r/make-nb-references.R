# Negative binomial (NB2) GLMM references: data.csv + reference.json per case in
# packages/datasets/family-references/<name>/ (format: ../family-references/README.md).
#
# Usage (from the repository root):
#   Rscript packages/datasets/r/make-nb-references.R            # every case
#   Rscript packages/datasets/r/make-nb-references.R OUT case1  # some cases -> OUT/
#
# Each case is simulated with a fixed seed and fitted by maximum likelihood with
# the Laplace approximation twice: glmmTMB(family = nbinom2) and lme4's glmer.nb
# (outer search over the shape, inner glmer).  The two do not maximise the same
# function: glmmTMB's Laplace uses the exact Hessian of the joint log-likelihood
# in the random effects (the observed information), glmer's the PIRLS weights
# mu.eta^2 / V (the expected information), which differ for NB2 with the log link
# ((y + theta)/(mu + theta) times).  So the script also records, per case:
#   - lme4_laplace_optimum: lme4's own Laplace deviance maximised jointly over
#     (log shape, theta, beta) with tight tolerances (does glmer.nb stop short?);
#   - cross_check: each program's objective at the other's estimates;
# and for the random-intercept case the exact marginal likelihood by adaptive
# Gauss-Hermite quadrature (25 nodes, scalar-glmm-likelihood.R) maximised over
# (beta, log sd, log shape): the true ML estimates, with both Laplace variants
# maximised by the same code as a check on the two programs.

suppressPackageStartupMessages({
  library(lme4)
  library(glmmTMB)
  library(jsonlite)
})
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])), "scalar-glmm-likelihood.R"))

lev <- function(prefix, n) sprintf("%s%02d", prefix, seq_len(n))

# lme4-style variance components of either fit.
varcorr_rows <- function(vc) {
  lapply(seq_len(nrow(vc)), function(i) list(
    group = vc$grp[i], var1 = if (is.na(vc$var1[i])) NULL else vc$var1[i],
    var2 = if (is.na(vc$var2[i])) NULL else vc$var2[i], vcov = vc$vcov[i], sdcor = vc$sdcor[i]
  ))
}

ranef_rows <- function(d) {
  d$grpvar <- as.character(d$grpvar); d$term <- as.character(d$term); d$grp <- as.character(d$grp)
  out <- list()
  for (g in sort(unique(d$grpvar))) for (t in unique(d$term[d$grpvar == g])) {
    dt <- d[d$grpvar == g & d$term == t, ]
    out[[length(out) + 1]] <- list(group = g, term = t, levels = I(dt$grp),
      condval = I(unname(dt$condval)), condsd = I(unname(dt$condsd)))
  }
  out
}

# glmmTMB's VarCorr as lme4's as.data.frame(VarCorr()) rows: variances and SDs,
# then covariances and correlations.
tmb_varcorr <- function(cond) {
  rows <- list()
  for (g in names(cond)) {
    m <- cond[[g]]
    s <- attr(m, "stddev")
    nm <- names(s)
    for (i in seq_along(nm)) rows[[length(rows) + 1]] <- data.frame(grp = g, var1 = nm[i], var2 = NA, vcov = m[i, i], sdcor = s[[i]])
    if (length(nm) > 1) for (i in 1:(length(nm) - 1)) for (j in (i + 1):length(nm))
      rows[[length(rows) + 1]] <- data.frame(grp = g, var1 = nm[i], var2 = nm[j], vcov = m[i, j], sdcor = m[i, j] / (s[[i]] * s[[j]]))
  }
  do.call(rbind, rows)
}

tmb_summary <- function(fit) {
  cf <- summary(fit)$coefficients$cond
  sdr <- fit$sdr
  se <- sqrt(diag(sdr$cov.fixed))
  nm <- names(sdr$par.fixed)
  vc <- tmb_varcorr(VarCorr(fit)$cond)
  log_sd <- which(nm == "theta")
  vc_rows <- varcorr_rows(vc)
  # SEs of the SDs and correlations by the delta method from glmmTMB's joint covariance
  # of its parameters (log SD per column, then, for two columns, rho' with cor = rho'/sqrt(1 + rho'^2)).
  th <- sdr$par.fixed[log_sd]; th_se <- se[log_sd]
  j <- 1; r <- 1
  for (g in names(VarCorr(fit)$cond)) {
    k <- ncol(VarCorr(fit)$cond[[g]])
    stopifnot(k <= 2)
    for (i in seq_len(k)) { vc_rows[[r]]$se <- exp(th[[j + i - 1]]) * th_se[[j + i - 1]]; r <- r + 1 }
    if (k == 2) { rho <- th[[j + 2]]; vc_rows[[r]]$se <- th_se[[j + 2]] * (1 + rho^2)^-1.5; r <- r + 1 }
    j <- j + k + k * (k - 1) / 2
  }
  list(
    logLik = as.numeric(logLik(fit)),
    df = attr(logLik(fit), "df"),
    convergence = list(code = fit$fit$convergence, message = fit$fit$message,
      pdHess = sdr$pdHess, max_gradient = max(abs(sdr$gradient.fixed))),
    fixef = lapply(seq_len(nrow(cf)), function(i) list(name = rownames(cf)[i], estimate = cf[i, 1], se = cf[i, 2])),
    varcorr = vc_rows,
    # glmmTMB's covariance parameters: log SDs (and, for slopes, its correlation
    # parameter), with SEs from the joint Hessian.
    cov_parameters = lapply(log_sd, function(j) list(estimate = unname(sdr$par.fixed[j]), se = unname(se[j]))),
    shape = list(estimate = sigma(fit), log_estimate = unname(sdr$par.fixed[nm == "betad"]),
      log_se = unname(se[nm == "betad"])),
    ranef = ranef_rows(as.data.frame(ranef(fit, condVar = TRUE)))
  )
}

nb_summary <- function(fit) {
  cf <- summary(fit)$coefficients
  list(
    logLik = as.numeric(logLik(fit)),
    df = attr(logLik(fit), "df"),
    messages = I(as.character(c(fit@optinfo$conv$lme4$messages, fit@optinfo$warnings))),
    fixef = lapply(seq_len(nrow(cf)), function(i) list(name = rownames(cf)[i], estimate = cf[i, 1], se = cf[i, 2])),
    varcorr = varcorr_rows(as.data.frame(VarCorr(fit))),
    theta = I(unname(getME(fit, "theta"))),
    shape = list(estimate = unname(getME(fit, "glmer.nb.theta"))),
    ranef = ranef_rows(as.data.frame(ranef(fit, condVar = TRUE)))
  )
}

# lme4's Laplace deviance at a fixed shape, as a function of (theta, beta), with PIRLS run to
# convergence (lme4's default tolerance leaves its deviance about 3e-4 off on nb_offset_laplace).
lme4_devfun <- function(f, d, shape) glmer(f, data = d, family = negative.binomial(shape), devFunOnly = TRUE, nAGQ = 1,
  control = glmerControl(tolPwrss = 1e-12))

# lme4's Laplace maximised jointly over (log shape, theta, beta), from glmer.nb's optimum.
lme4_laplace_optimum <- function(f, d, nb) {
  k <- length(getME(nb, "theta"))
  lower <- c(-Inf, getME(nb, "lower"), rep(-Inf, length(fixef(nb))))
  obj <- function(p) lme4_devfun(f, d, exp(p[1]))(c(p[2:(k + 1)], p[-(1:(k + 1))]))
  p0 <- c(log(getME(nb, "glmer.nb.theta")), getME(nb, "theta"), fixef(nb))
  o <- nlminb(p0, obj, lower = lower, control = list(rel.tol = 1e-13, eval.max = 5000, iter.max = 2000))
  list(logLik = -0.5 * o$objective, shape = exp(o$par[1]), theta = I(unname(o$par[2:(k + 1)])),
    fixef = I(unname(o$par[-(1:(k + 1))])), logLik_gain_over_glmer_nb = -0.5 * o$objective - as.numeric(logLik(nb)))
}

# glmmTMB's parameters (beta, log shape, log SDs and correlation parameters) from lme4-style estimates.
tmb_par_from <- function(tmb, fixef, shape, vc) {
  p <- tmb$fit$par
  p[names(p) == "beta"] <- fixef
  p[names(p) == "betad"] <- log(shape)
  th <- c()
  for (g in names(vc)) {
    m <- vc[[g]]; s <- sqrt(diag(m))
    th <- c(th, log(s))
    if (ncol(m) == 2) { r <- m[1, 2] / (s[1] * s[2]); th <- c(th, r / sqrt(1 - r^2)) }
  }
  p[names(p) == "theta"] <- th
  p
}

make_nb_reference <- function(name, data, formula, out_root, notes = character(), exact = NULL) {
  message("== ", name, ": ", formula)
  dir <- file.path(out_root, name)
  dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  categorical <- vapply(data, function(col) is.factor(col) || is.character(col), logical(1))
  write.csv(data, file.path(dir, "data.csv"), row.names = FALSE)
  d <- read.csv(file.path(dir, "data.csv"), colClasses = ifelse(categorical, "character", "numeric"))
  for (col in names(d)[categorical]) d[[col]] <- factor(d[[col]])

  f <- as.formula(formula)
  t_tmb <- system.time(tmb <- glmmTMB(f, data = d, family = nbinom2))[["elapsed"]]
  t_nb <- system.time(nb <- suppressWarnings(glmer.nb(f, data = d)))[["elapsed"]]
  ts <- tmb_summary(tmb)
  ns <- nb_summary(nb)
  message(sprintf("  glmmTMB  logLik %.8f shape %.6f (%.1f s)", ts$logLik, ts$shape$estimate, t_tmb))
  message(sprintf("  glmer.nb logLik %.8f shape %.6f (%.1f s)", ns$logLik, ns$shape$estimate, t_nb))
  # Where glmer.nb stops short of glmmTMB's optimum, say by how much, in SEs of glmmTMB.
  shortfall <- list(
    logLik = ts$logLik - ns$logLik,
    fixef_in_se = I(vapply(seq_along(ts$fixef), function(i)
      (ns$fixef[[i]]$estimate - ts$fixef[[i]]$estimate) / ts$fixef[[i]]$se, numeric(1))),
    log_shape_in_se = (log(ns$shape$estimate) - ts$shape$log_estimate) / ts$shape$log_se
  )
  message(sprintf("  glmer.nb below glmmTMB by %.2e in logLik; largest |fixef diff| %.3f SE; log shape %.3f SE",
    shortfall$logLik, max(abs(shortfall$fixef_in_se)), shortfall$log_shape_in_se))

  lo <- lme4_laplace_optimum(f, d, nb)
  message(sprintf("  lme4 Laplace joint optimum %.8f (glmer.nb short by %.1e), shape %.6f", lo$logLik, lo$logLik_gain_over_glmer_nb, lo$shape))
  # Each program's objective at the other's estimates.
  vcT <- VarCorr(tmb)$cond
  thetaT <- unlist(lapply(vcT, function(m) { L <- t(chol(m)); L[lower.tri(L, diag = TRUE)] }))
  cross <- list(
    lme4_laplace_at_glmmTMB = -0.5 * lme4_devfun(f, d, ts$shape$estimate)(c(thetaT, sapply(ts$fixef, `[[`, "estimate"))),
    glmmTMB_laplace_at_glmer_nb = -tmb$obj$fn(tmb_par_from(tmb, fixef(nb), ns$shape$estimate, VarCorr(nb)))
  )
  message(sprintf("  lme4's Laplace at glmmTMB's estimates %.8f; glmmTMB's at glmer.nb's %.8f",
    cross$lme4_laplace_at_glmmTMB, cross$glmmTMB_laplace_at_glmer_nb))

  marginal <- NULL
  if (!is.null(exact)) {
    model <- exact(d)
    start <- c(sapply(ts$fixef, `[[`, "estimate"), ts$cov_parameters[[1]]$estimate, ts$shape$log_estimate)
    one <- function(method) {
      r <- fit_marginal(model, method, start, nodes = 25)
      mu_sat <- model$y
      ok <- mu_sat > 0
      message(sprintf("  %-16s logLik %.8f shape %.6f sd %.6f beta %s", method, r$logLik, r$parameter, r$sigma,
        paste(sprintf("%.6f", r$beta), collapse = " ")))
      list(method = method, nodes = r$nodes, logLik = r$logLik,
        fixef = lapply(seq_along(r$beta), function(i) list(name = colnames(model$X)[i], estimate = r$beta[i], se = r$beta_se[i])),
        sd = r$sigma, log_sd_se = r$log_sigma_se, shape = r$parameter, log_shape_se = r$log_parameter_se,
        max_abs_gradient = max(abs(r$gradient)),
        # sum log f(y | mu = y, shape): the saturated model's log-likelihood at this shape, which a
        # deviance that leaves it out (lme4's AGQ convention) would have to add back.
        saturated_loglik = sum(dnbinom(model$y, size = r$parameter, mu = pmax(model$y, 1e-300), log = TRUE)),
        ranef = list(list(group = model$group_name, term = "(Intercept)", levels = I(model$levels),
          condval = I(unname(r$modes)), condsd = I(unname(r$cond_sd)))))
    }
    marginal <- list(agq25 = one("agq"), laplace_observed = one("laplace_observed"), laplace_fisher = one("laplace_fisher"))
  }

  ref <- list(
    name = name,
    source = sprintf("R %s.%s, lme4 %s, glmmTMB %s", R.version$major, R.version$minor,
      as.character(packageVersion("lme4")), as.character(packageVersion("glmmTMB"))),
    script = "packages/datasets/r/make-nb-references.R",
    data = "data.csv",
    columns = I(names(data)),
    column_types = as.list(setNames(ifelse(categorical, "categorical", "numeric"), names(data))),
    formula = formula,
    family = "negative_binomial",
    link = "log",
    method = "Laplace",
    nobs = nrow(d),
    ngroups = as.list(ngrps(nb)),
    glmmTMB = ts,
    glmer_nb = ns,
    glmer_nb_short_of_glmmTMB = shortfall,
    lme4_laplace_optimum = lo,
    cross_check = cross,
    marginal = marginal,
    notes = I(notes)
  )
  writeLines(toJSON(ref, auto_unbox = TRUE, null = "null", na = "null", digits = NA, pretty = TRUE),
    file.path(dir, "reference.json"))
  invisible(ref)
}

cases <- list(
  # Random intercept, a numeric and a categorical covariate, exposure as an offset,
  # unbalanced groups.
  nb_offset_laplace = function(out) {
    set.seed(1313)
    ng <- 50
    sizes <- sample(10:40, ng, replace = TRUE)
    g <- rep(lev("G", ng), times = sizes)
    n <- length(g)
    x <- round(rnorm(n), 3)
    trt <- sample(c("ctl", "trt"), n, replace = TRUE)
    exposure <- round(runif(n, 0.5, 4), 3)
    b <- rnorm(ng, sd = 0.5)
    mu <- exposure * exp(0.3 + 0.5 * x - 0.4 * (trt == "trt") + b[match(g, lev("G", ng))])
    y <- rnbinom(n, size = 2, mu = mu)
    make_nb_reference("nb_offset_laplace", data.frame(y = y, x = x, trt = trt, exposure = exposure, g = g),
      "y ~ x + trt + (1 | g) + offset(log(exposure))", out,
      exact = function(d) list(y = d$y, X = model.matrix(~ x + trt, d), offset = log(d$exposure),
        group = as.integer(d$g), group_name = "g", levels = levels(d$g), family = "negative_binomial", link = "log"))
  },

  # Two crossed random intercepts (sites by years), strong overdispersion.
  nb_crossed_laplace = function(out) {
    set.seed(2424)
    ns <- 30; ny <- 12
    d <- expand.grid(site = lev("S", ns), year = lev("Y", ny), stringsAsFactors = FALSE)
    d <- d[rep(seq_len(nrow(d)), 4), ]
    rownames(d) <- NULL
    d$x <- round(rnorm(nrow(d)), 3)
    us <- rnorm(ns, sd = 0.6); uy <- rnorm(ny, sd = 0.3)
    mu <- exp(1 + 0.4 * d$x + us[match(d$site, lev("S", ns))] + uy[match(d$year, lev("Y", ny))])
    d$y <- rnbinom(nrow(d), size = 1.5, mu = mu)
    make_nb_reference("nb_crossed_laplace", d[, c("y", "x", "site", "year")],
      "y ~ x + (1 | site) + (1 | year)", out)
  },

  # Correlated random intercept and slope.
  nb_slopes_laplace = function(out) {
    set.seed(3535)
    ng <- 40; per <- 20
    g <- rep(lev("G", ng), each = per)
    x <- round(runif(length(g), -1, 1), 3)
    L <- chol(matrix(c(0.3, 0.05, 0.05, 0.1), 2))
    b <- matrix(rnorm(2 * ng), ng) %*% L
    gi <- match(g, lev("G", ng))
    mu <- exp(1.2 + 0.6 * x + b[gi, 1] + b[gi, 2] * x)
    y <- rnbinom(length(g), size = 3, mu = mu)
    make_nb_reference("nb_slopes_laplace", data.frame(y = y, x = x, g = g), "y ~ x + (1 + x | g)", out)
  }
)

main <- function(args) {
  out <- if (length(args) >= 1) args[1] else file.path("packages", "datasets", "family-references")
  which <- if (length(args) >= 2) args[-1] else names(cases)
  for (case in which) cases[[case]](out)
}

if (sys.nframe() == 0L) main(commandArgs(trailingOnly = TRUE))
