# Makes the reference values the inference tests of packages/inference (and
# the CLI's anova/test/confint/compare commands) are checked against:
# lmerTest's Satterthwaite t-tests, contrasts and Type III / marginal anova,
# lme4's profile and Wald intervals, anova(m0, m1) likelihood-ratio tests,
# glmer z-tests, BLUP tables, and Wald intervals for the covariance
# parameters on the log-SD / atanh-correlation scale (delta method from the
# Hessian of lme4's own deviance function, computed below with numDeriv).
#
# Usage (from the repository root):
#   Rscript packages/datasets/r/make-inference-reference.R
# writes packages/datasets/inference-fixtures/<case>.json, and the simulated
# data sets as CSV next to them (fixed seeds: anyone with R gets the same
# files).  Each model is fitted to the data as read back from its CSV file.

suppressPackageStartupMessages({
  library(lme4)
  library(lmerTest)
  library(numDeriv)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
datasets_root <- normalizePath(file.path(dirname(script), ".."))
out_root <- file.path(datasets_root, "inference-fixtures")
dir.create(out_root, showWarnings = FALSE)

# Reads a CSV the way the tests read it: text columns become factors with sorted levels.
read_data <- function(rel, categorical) {
  d <- read.csv(file.path(datasets_root, rel), stringsAsFactors = FALSE)
  for (col in names(d)) if (is.character(d[[col]]) || col %in% categorical) d[[col]] <- factor(as.character(d[[col]]))
  d
}

write_data <- function(d, file) {
  write.csv(d, file.path(out_root, file), row.names = FALSE)
  file.path("inference-fixtures", file)
}

lev <- function(prefix, n) sprintf("%s%02d", prefix, seq_len(n))

coef_rows <- function(cf) {
  lapply(seq_len(nrow(cf)), function(i) {
    r <- list(name = rownames(cf)[i], estimate = cf[i, "Estimate"], se = cf[i, "Std. Error"])
    if ("df" %in% colnames(cf)) r$df <- cf[i, "df"]
    r$statistic <- cf[i, if ("t value" %in% colnames(cf)) "t value" else "z value"]
    r$p <- cf[i, ncol(cf)]
    r
  })
}

anova_rows <- function(a) {
  lapply(seq_len(nrow(a)), function(i) list(
    term = rownames(a)[i], numDF = a[i, "NumDF"], denDF = a[i, "DenDF"],
    F = a[i, "F value"], p = a[i, "Pr(>F)"]
  ))
}

ci_rows <- function(ci) {
  lapply(seq_len(nrow(ci)), function(i) list(name = rownames(ci)[i], lower = na_null(ci[i, 1]), upper = na_null(ci[i, 2])))
}

na_null <- function(x) if (length(x) == 0 || is.na(x)) NULL else unname(x)

# lmerTest::contest on named coefficient vectors: t rows for each row and the joint F.
contrast_case <- function(fit, text, L, rhs = 0) {
  L <- matrix(L, ncol = length(fixef(fit)))
  rhs <- rep(rhs, length.out = nrow(L))
  rows <- do.call(rbind, lapply(seq_len(nrow(L)), function(i) contest1D(fit, L[i, ], rhs = rhs[i])))
  joint <- contestMD(fit, L, rhs = rhs)
  list(
    contrast = I(text), L = L, rhs = I(rhs),
    rows = lapply(seq_len(nrow(rows)), function(i) list(
      estimate = rows$Estimate[i], se = rows[["Std. Error"]][i], df = rows$df[i],
      t = rows[["t value"]][i], p = rows[["Pr(>|t|)"]][i]
    )),
    F = joint[["F value"]], numDF = joint$NumDF, denDF = joint$DenDF, p = joint[["Pr(>F)"]]
  )
}

# Random-effects table as fitglme's randomEffects: conditional modes with the
# conditional SD as SE, t on the residual DF (n - p), p and CI at `level`.
blup_rows <- function(fit, level = 0.95) {
  d <- as.data.frame(ranef(fit, condVar = TRUE))
  df <- nobs(fit) - length(fixef(fit))
  q <- qt(1 - (1 - level) / 2, df)
  lapply(seq_len(nrow(d)), function(i) {
    t <- d$condval[i] / d$condsd[i]
    list(group = as.character(d$grpvar[i]), term = as.character(d$term[i]), level = as.character(d$grp[i]),
         estimate = d$condval[i], se = d$condsd[i], t = t, df = df, p = 2 * pt(-abs(t), df),
         lower = d$condval[i] - q * d$condsd[i], upper = d$condval[i] + q * d$condsd[i])
  })
}

# The covariance parameters on the sd/cor scale, in lme4's order and names
# (confint(..., oldNames = FALSE)), and their map to theta.
sdcor_names <- function(fit) {
  cnms <- fit@cnms
  grp <- names(cnms)
  out <- character(0)
  for (i in seq_along(cnms)) {
    nm <- cnms[[i]]
    k <- length(nm)
    for (j in seq_len(k)) for (r in j:k) {
      out <- c(out, if (r == j) sprintf("sd_%s|%s", nm[j], grp[i]) else sprintf("cor_%s.%s|%s", nm[r], nm[j], grp[i]))
    }
  }
  out
}

# phi = (log sd, atanh cor) per term in theta order -> theta (relative to `sigma`).
theta_of_phi <- function(fit, phi, sigma) {
  theta <- numeric(0)
  pos <- 0
  for (nm in fit@cnms) {
    k <- length(nm)
    S <- matrix(0, k, k)
    sds <- numeric(k)
    cors <- diag(k)
    for (j in seq_len(k)) for (r in j:k) {
      pos <- pos + 1
      if (r == j) sds[j] <- exp(phi[pos]) else cors[r, j] <- cors[j, r] <- tanh(phi[pos])
    }
    S <- diag(sds, k) %*% cors %*% diag(sds, k)
    Lt <- t(chol(S)) / sigma
    theta <- c(theta, Lt[lower.tri(Lt, diag = TRUE)])
  }
  theta
}

phi_of_fit <- function(fit) {
  vc <- VarCorr(fit)
  phi <- numeric(0)
  for (g in seq_along(fit@cnms)) {
    S <- vc[[g]]
    k <- nrow(S)
    sds <- sqrt(diag(S))
    for (j in seq_len(k)) for (r in j:k) {
      phi <- c(phi, if (r == j) log(sds[j]) else atanh(S[r, j] / (sds[r] * sds[j])))
    }
  }
  phi
}

wald_from_phi <- function(names, phi, V, level) {
  z <- qnorm(1 - (1 - level) / 2)
  se <- sqrt(diag(V))
  lapply(seq_along(phi), function(i) {
    lo <- phi[i] - z * se[i]
    hi <- phi[i] + z * se[i]
    if (startsWith(names[i], "cor_")) list(name = names[i], lower = tanh(lo), upper = tanh(hi))
    else list(name = names[i], lower = exp(lo), upper = exp(hi))
  })
}

# LMM: the deviance (REML or ML as fitted) at (theta, sigma) with beta
# profiled, lmerTest's devfun_vp, differentiated in phi = (log sd, atanh cor, log sigma).
lmm_wald_varpar <- function(fit, level = 0.95) {
  reml <- isREML(fit)
  devfun <- update(fit, devFunOnly = TRUE)
  env <- environment(devfun)
  n <- nobs(fit)
  p <- length(fixef(fit))
  f <- function(phi) {
    sigma <- exp(phi[length(phi)])
    theta <- theta_of_phi(fit, phi[-length(phi)], sigma)
    devfun(theta)
    s2 <- sigma^2
    dev <- env$pp$ldL2() + (env$resp$wrss() + env$pp$sqrL(1)) / s2 + n * log(2 * pi * s2)
    if (reml) dev <- dev + 2 * c(determinant(env$pp$RX())$modulus) - p * log(2 * pi * s2)
    dev
  }
  phi <- c(phi_of_fit(fit), log(sigma(fit)))
  H <- hessian(f, phi)
  V <- 2 * solve(H)
  wald_from_phi(c(sdcor_names(fit), "sigma"), phi, V, level)
}

# GLMM: glmer's Laplace deviance of (theta, beta), differentiated in
# (log sd, atanh cor, beta); the covariance parameters' block of 2 H^-1.
glmm_wald_varpar <- function(fit, level = 0.95) {
  devfun <- update(fit, devFunOnly = TRUE)
  nphi <- length(getME(fit, "theta"))
  f <- function(par) devfun(c(theta_of_phi(fit, par[seq_len(nphi)], 1), par[-seq_len(nphi)]))
  par <- c(phi_of_fit(fit), fixef(fit))
  H <- hessian(f, par)
  V <- 2 * solve(H)
  wald_from_phi(sdcor_names(fit), par[seq_len(nphi)], V[seq_len(nphi), seq_len(nphi), drop = FALSE], level)
}

lrt <- function(m0, m1) {
  a <- suppressMessages(anova(m0, m1))
  list(
    chiSq = a$Chisq[2], df = a$Df[2], p = a[["Pr(>Chisq)"]][2],
    refitted = isREML(m0) || isREML(m1),
    models = lapply(1:2, function(i) list(npar = a$npar[i], logLik = a$logLik[i], aic = a$AIC[i], bic = a$BIC[i]))
  )
}

# The coefficient table with the residual DF (fitglme's default), t tests and intervals at `level`.
residual_rows <- function(fit, level = 0.95) {
  cf <- summary(fit)$coefficients
  df <- nobs(fit) - nrow(cf)
  q <- qt(1 - (1 - level) / 2, df)
  lapply(seq_len(nrow(cf)), function(i) {
    est <- cf[i, "Estimate"]
    se <- cf[i, "Std. Error"]
    list(name = rownames(cf)[i], estimate = est, se = se, df = df, statistic = est / se,
         p = 2 * pt(-abs(est / se), df), lower = est - q * se, upper = est + q * se)
  })
}

# lmerTest's Satterthwaite intervals for each coefficient (contest with confint = TRUE).
satterthwaite_ci <- function(fit, level = 0.95) {
  p <- length(fixef(fit))
  ct <- contest(fit, diag(p), joint = FALSE, confint = TRUE, level = level)
  lapply(seq_len(p), function(i) list(name = names(fixef(fit))[i], lower = ct$lower[i], upper = ct$upper[i]))
}

wald_fixed <- function(fit, level = 0.95) {
  ci <- confint(fit, method = "Wald", level = level, oldNames = FALSE)
  ci <- ci[!is.na(ci[, 1]), , drop = FALSE]
  ci_rows(ci)
}

profile_ci <- function(fit, level) {
  ci_rows(suppressMessages(confint(fit, method = "profile", level = level, oldNames = FALSE)))
}

write_case <- function(name, ref) {
  ref$name <- name
  ref$source <- sprintf("R %s.%s, lme4 %s, lmerTest %s, numDeriv %s", R.version$major, R.version$minor,
                        packageVersion("lme4"), packageVersion("lmerTest"), packageVersion("numDeriv"))
  json <- toJSON(ref, auto_unbox = TRUE, null = "null", na = "null", digits = NA, pretty = TRUE)
  writeLines(json, file.path(out_root, paste0(name, ".json")))
  message("wrote ", name)
}

lmm_case <- function(name, data_file, formula, categorical = character(0), reml = TRUE,
                     contrasts = list(), profile_levels = c(0.95), compare = NULL, sum_coding = FALSE,
                     wald_varpar = TRUE) {
  d <- read_data(data_file, categorical)
  fit <- lmerTest::lmer(as.formula(formula), data = d, REML = reml)
  ref <- list(
    data = data_file, formula = formula, family = "gaussian", link = "identity",
    method = if (reml) "REML" else "ML", categorical = I(categorical),
    nobs = nobs(fit), p = length(fixef(fit)), residualDf = nobs(fit) - length(fixef(fit)),
    beta = I(unname(fixef(fit))), vcov = unname(as.matrix(vcov(fit))),
    satterthwaite = coef_rows(summary(fit)$coefficients),
    satterthwaite_ci90 = satterthwaite_ci(fit, 0.9),
    residual = residual_rows(fit),
    anova = list(
      type3 = anova_rows(anova(fit, type = "III")),
      marginal = anova_rows(anova(fit, type = "marginal"))
    ),
    contrasts = lapply(contrasts, function(c) contrast_case(fit, c$text, c$L, if (is.null(c$rhs)) 0 else c$rhs)),
    blups = blup_rows(fit),
    blups90 = blup_rows(fit, 0.9),
    confint_wald = wald_fixed(fit),
    confint_profile = lapply(profile_levels, function(l) list(level = l, rows = profile_ci(fit, l)))
  )
  if (wald_varpar) ref$wald_varpar <- lmm_wald_varpar(fit)
  if (sum_coding) {
    fac <- names(d)[vapply(d, is.factor, logical(1))]
    ctr <- setNames(rep(list("contr.sum"), length(fac)), fac)
    fit_sum <- lmerTest::lmer(as.formula(formula), data = d, REML = reml, contrasts = ctr)
    ref$anova$type3_sum_coding <- anova_rows(anova(fit_sum, type = "III"))
  }
  if (!is.null(compare)) {
    m0 <- lme4::lmer(as.formula(compare$m0), data = d, REML = reml)
    m1 <- lme4::lmer(as.formula(formula), data = d, REML = reml)
    ref$compare <- c(list(m0 = compare$m0, m1 = formula), lrt(m0, m1))
  }
  write_case(name, ref)
  invisible(fit)
}

glmm_case <- function(name, data_file, formula, family, categorical = character(0), compare = NULL, contrasts = list()) {
  d <- read_data(data_file, categorical)
  fit <- glmer(as.formula(formula), data = d, family = family)
  cf <- summary(fit)$coefficients
  V <- as.matrix(vcov(fit))
  b <- fixef(fit)
  chisq_contrasts <- lapply(contrasts, function(c) {
    L <- matrix(c$L, ncol = length(b))
    rhs <- rep(if (is.null(c$rhs)) 0 else c$rhs, length.out = nrow(L))
    e <- L %*% b - rhs
    W <- drop(t(e) %*% solve(L %*% V %*% t(L)) %*% e)
    list(contrast = I(c$text), L = L, rhs = I(rhs), F = W / nrow(L), numDF = nrow(L), chiSq = W,
         p = pchisq(W, nrow(L), lower.tail = FALSE))
  })
  ref <- list(
    data = data_file, formula = formula, family = family()$family, link = family()$link,
    method = "Laplace", categorical = I(categorical),
    nobs = nobs(fit), p = length(b), residualDf = nobs(fit) - length(b),
    beta = I(unname(b)), vcov = unname(V),
    z = coef_rows(cf),
    residual = residual_rows(fit, 0.9),
    contrasts = chisq_contrasts,
    confint_wald = wald_fixed(fit),
    confint_wald90 = wald_fixed(fit, 0.9),
    wald_varpar = glmm_wald_varpar(fit),
    blups = blup_rows(fit)
  )
  if (!is.null(compare)) {
    m0 <- glmer(as.formula(compare$m0), data = d, family = family)
    ref$compare <- c(list(m0 = compare$m0, m1 = formula), lrt(m0, fit))
  }
  write_case(name, ref)
  invisible(fit)
}

# ---------------------------------------------------------------------------
# Data sets

# A 2 x 3 within-subject factorial with an interaction and a random slope of
# the two-level factor: every subject sees every cell twice.
make_factorial <- function() {
  set.seed(2024)
  ns <- 24
  d <- expand.grid(rep = 1:2, B = c("b1", "b2", "b3"), A = c("a1", "a2"), subj = lev("S", ns), stringsAsFactors = FALSE)
  u0 <- rnorm(ns, sd = 2)
  u1 <- rnorm(ns, sd = 1.2)
  s <- match(d$subj, lev("S", ns))
  a2 <- d$A == "a2"
  mu <- 10 + 1 * a2 + c(b1 = 0, b2 = 0.5, b3 = -0.8)[d$B] + a2 * c(b1 = 0, b2 = 1.2, b3 = 0.3)[d$B] + u0[s] + u1[s] * a2
  d$y <- round(mu + rnorm(nrow(d), sd = 1.5), 4)
  write_data(d[, c("y", "A", "B", "subj")], "factorial.csv")
}

# Unbalanced: subjects with 5 to 14 rows, cells of unequal size, a covariate
# with its own interaction and a random slope.
make_unbalanced <- function() {
  set.seed(7)
  ns <- 30
  sizes <- sample(5:14, ns, replace = TRUE)
  subj <- rep(lev("S", ns), sizes)
  n <- length(subj)
  A <- sample(c("ctl", "trt"), n, replace = TRUE, prob = c(0.6, 0.4))
  B <- sample(c("low", "mid", "high"), n, replace = TRUE, prob = c(0.5, 0.3, 0.2))
  x <- round(rnorm(n, 2, 1), 3)
  s <- match(subj, lev("S", ns))
  u0 <- rnorm(ns, sd = 1.5)
  u1 <- rnorm(ns, sd = 0.5)
  trt <- A == "trt"
  mu <- 5 + 0.8 * trt + c(low = 0, mid = 0.4, high = 1.1)[B] + 0.6 * x + trt * c(low = 0, mid = -0.5, high = 0.7)[B] +
    0.3 * trt * x + u0[s] + u1[s] * x
  y <- round(mu + rnorm(n, sd = 1), 4)
  write_data(data.frame(y = y, A = A, B = B, x = x, subj = subj), "unbalanced.csv")
}

# Poisson counts with a correlated random intercept and slope.
make_poisson_slopes <- function() {
  set.seed(11)
  ng <- 40
  nper <- 15
  g <- rep(lev("G", ng), each = nper)
  x <- round(runif(ng * nper, -1, 1), 3)
  S <- matrix(c(0.25, 0.4 * 0.5 * 0.3, 0.4 * 0.5 * 0.3, 0.09), 2)
  b <- MASS::mvrnorm(ng, c(0, 0), S)
  k <- match(g, lev("G", ng))
  y <- rpois(length(x), exp(0.5 + 0.7 * x + b[k, 1] + b[k, 2] * x))
  write_data(data.frame(y = y, x = x, g = g), "poisson_slopes.csv")
}

factorial_csv <- make_factorial()
unbalanced_csv <- make_unbalanced()
poisson_csv <- make_poisson_slopes()

# ---------------------------------------------------------------------------
# Cases

lmm_case("sleepstudy_slopes_reml", "examples/sleepstudy.csv", "Reaction ~ Days + (Days | Subject)",
  categorical = "Subject",
  contrasts = list(
    list(text = "(Intercept) + 5*Days = 300", L = c(1, 5), rhs = 300),
    list(text = c("(Intercept) = 250", "Days = 10"), L = rbind(c(1, 0), c(0, 1)), rhs = c(250, 10))
  ),
  profile_levels = c(0.95, 0.9),
  compare = list(m0 = "Reaction ~ Days + (1 | Subject)"))

lmm_case("sleepstudy_slopes_ml", "examples/sleepstudy.csv", "Reaction ~ Days + (Days | Subject)",
  categorical = "Subject", reml = FALSE, profile_levels = c(0.95),
  compare = list(m0 = "Reaction ~ 1 + (Days | Subject)"))

lmm_case("sleepstudy_uncorrelated_reml", "examples/sleepstudy.csv", "Reaction ~ Days + (Days || Subject)",
  categorical = "Subject", profile_levels = c(0.95))

lmm_case("penicillin_crossed_reml", "fixtures/penicillin_crossed_reml/data.csv",
  "diameter ~ 1 + (1 | plate) + (1 | sample)", categorical = c("plate", "sample"), profile_levels = c(0.95))

# A singular fit (the batch SD is 0): the profile's lower limit is the bound, as lme4 reports it.
lmm_case("dyestuff2_singular_reml", "fixtures/dyestuff2_singular_reml/data.csv", "Yield ~ 1 + (1 | Batch)",
  categorical = "Batch", profile_levels = c(0.95), wald_varpar = FALSE)

lmm_case("factorial_slopes_reml", factorial_csv, "y ~ A * B + (1 + A | subj)",
  categorical = c("A", "B", "subj"),
  contrasts = list(
    list(text = "Bb2 - Bb3 = 0", L = c(0, 0, 1, -1, 0, 0)),
    list(text = c("Bb2 - Bb3 = 0", "Aa2:Bb2 - Aa2:Bb3 = 0"), L = rbind(c(0, 0, 1, -1, 0, 0), c(0, 0, 0, 0, 1, -1)))
  ),
  profile_levels = c(0.95), sum_coding = TRUE,
  compare = list(m0 = "y ~ A + B + (1 + A | subj)"))

lmm_case("unbalanced_reml", unbalanced_csv, "y ~ A * B + A * x + (1 + x | subj)",
  categorical = c("A", "B", "subj"),
  contrasts = list(list(text = "2*x - Atrt:x = 1", L = c(0, 0, 0, 0, 2, 0, 0, -1), rhs = 1)),
  profile_levels = c(0.95), sum_coding = TRUE)

glmm_case("cbpp_binomial_laplace", "examples/cbpp.csv", "cbind(incidence, size - incidence) ~ period + (1 | herd)",
  binomial, categorical = c("herd", "period"),
  compare = list(m0 = "cbind(incidence, size - incidence) ~ 1 + (1 | herd)"),
  contrasts = list(
    list(text = "period2 - period3 = 0", L = c(0, 1, -1, 0)),
    list(text = c("period2 = 0", "period3 = 0", "period4 = 0"), L = rbind(c(0, 1, 0, 0), c(0, 0, 1, 0), c(0, 0, 0, 1)))
  ))

# boot's percentile interpolation (norm.inter), which lme4's confint(method = "boot") uses.
local({
  t <- exp(qnorm(ppoints(57))) + (1:57) / 100
  alpha <- c(0.025, 0.975, 0.05, 0.5, 0.001)
  out <- suppressWarnings(boot:::norm.inter(t, alpha))[, 2]
  writeLines(toJSON(list(name = "norm_inter", values = I(t), alpha = I(alpha), quantiles = I(out)), digits = NA, pretty = TRUE),
             file.path(out_root, "norm_inter.json"))
})

glmm_case("poisson_slopes_laplace", poisson_csv, "y ~ x + (1 + x | g)", poisson, categorical = "g")
