# References for @glmm/estimator-pql: penalized quasi-likelihood (MASS's
# glmmPQL) and fitglme's maximum / restricted maximum pseudo-likelihood (MPL,
# REMPL), written to packages/estimator-pql/test/reference/<data set>/:
# data.csv and one <method>_<dispersion>.json per fit (pql_estimated,
# mpl_fixed, mpl_estimated, rempl_fixed, rempl_estimated).
#
# Usage (from the repository root):
#   Rscript packages/datasets/r/make-pql-reference.R [OUT]
#
# PQL is glmmPQL itself (MASS 7.3): its estimates, standard errors and
# variance components are the reference.  It fits the working LMM by
# nlme::lme(method = "ML") with varFixed(~ 1/w) weights, so the residual
# variance (the dispersion) is estimated, and it stops when
# sum((eta - eta_old)^2) < 1e-6 sum(eta^2) or after 10 iterations.
#
# There is no MATLAB here, so MPL/REMPL come from this script's own
# pseudo-likelihood iteration (pl_fit below):
#   start mu from the family's mustart (fitglme's MuStart default plays the
#   same role; the fixed point does not depend on it), eta = g(mu);
#   repeat: z = eta + (y - mu) / mu.eta(eta) - offset,
#           w = prior weights * mu.eta^2 / V(mu),
#           fit the working LMM z ~ X beta + Z b, Var(e) = sigma^2 / w, by ML
#           (MPL) or REML (REMPL); sigma^2 fixed at 1 (fitglme's default for
#           binomial and Poisson, DispersionFlag = false) or estimated
#           (DispersionFlag = true);
#           eta_new = X beta + Z b + offset,
#   until rms(eta_new - eta) <= 1e-8 max(1, rms(eta_new)) (fitglme's default
#   PLTolerance, on the linear predictor), at most 100 iterations.
# The working LMM is solved by dense algebra here (lmm_at below: the
# penalised normal equations of Bates et al. 2015, with the known-sigma
# deviance where sigma is fixed) and theta optimised by minqa::bobyqa to
# rhoend 1e-10.  Checks run before anything is written:
#   - the same loop with glmmPQL's start, stopping rule and sigma estimated
#     reproduces glmmPQL (so the working-LMM algebra is lme's);
#   - with sigma estimated, the working LMM equals lmer(z ~ ..., weights = w)
#     at the final working data (REML and ML);
#   - with sigma fixed at 1, the working LMM equals glmmTMB with the
#     dispersion mapped to 1 (an independent implementation).
# The pseudo log-likelihood reported is that of the final working LMM:
#   ML:   -1/2 [n log(2 pi s2) - sum log w + log|L|^2 + pwrss / s2]
#   REML: -1/2 [(n-p) log(2 pi s2) - sum log w + log|L|^2 + log|R_X|^2 + pwrss / s2]
# with s2 = 1 when fixed, and with s2 profiled (pwrss/n, pwrss/(n-p))
# otherwise, which is lme4's (and lme's) log-likelihood of the weighted LMM.

suppressPackageStartupMessages({
  library(MASS)
  library(nlme)
  library(lme4)
  library(glmmTMB)
  library(jsonlite)
  library(minqa)
})

args <- commandArgs(trailingOnly = TRUE)
OUT <- if (length(args) >= 1) args[1] else "packages/estimator-pql/test/reference"

# ---- data -----------------------------------------------------------------

bacteria_data <- function() {
  data(bacteria, package = "MASS", envir = environment())
  # Factor levels sorted as the platform sorts them (drug, drug+, placebo):
  # R's bacteria keeps placebo first.
  data.frame(
    y = as.integer(bacteria$y == "y"),
    trt = factor(as.character(bacteria$trt)),
    week2 = as.integer(bacteria$week > 2),
    ID = factor(as.character(bacteria$ID))
  )
}

cbpp_data <- function() {
  d <- lme4::cbpp
  data.frame(herd = factor(as.character(d$herd), levels = sort(unique(as.character(d$herd)))),
             incidence = d$incidence, size = d$size, period = factor(as.character(d$period)))
}

# Counts with an exposure offset and a correlated random slope.
poisson_data <- function() {
  set.seed(20261207)
  G <- 25
  m <- 12
  g <- rep(sprintf("g%02d", seq_len(G)), each = m)
  x <- round(rnorm(G * m), 3)
  t <- round(runif(G * m, 0.5, 3), 3)
  L <- matrix(c(0.5, 0, 0.3 * 0.25, sqrt(1 - 0.3^2) * 0.25), 2)
  b <- matrix(rnorm(2 * G), G) %*% t(L)
  gi <- match(g, unique(g))
  eta <- 0.4 + 0.35 * x + log(t) + b[gi, 1] + b[gi, 2] * x
  data.frame(y = rpois(G * m, exp(eta)), x = x, logt = log(t), g = factor(g))
}

# A data set of the lme4 fixtures (packages/datasets), grouping columns as factors.
fixture_data <- function(dir, factors) {
  d <- read.csv(file.path("packages/datasets", dir, "data.csv"), stringsAsFactors = FALSE)
  for (f in factors) d[[f]] <- factor(d[[f]])
  d
}

# ---- the working LMM, dense ------------------------------------------------

# Random-effects structure of lme4 (Zt, Lambdat's pattern) for the formula,
# with X; the response is a placeholder.
structure_of <- function(rhs_formula, data) {
  f <- update(rhs_formula, .zz ~ .)
  data$.zz <- rnorm(nrow(data))
  lf <- lFormula(f, data = data, control = lmerControl(check.nobs.vs.nlev = "ignore", check.nobs.vs.nRE = "ignore"))
  list(X = lf$X, Zt = as.matrix(lf$reTrms$Zt), Lambdat = lf$reTrms$Lambdat, Lind = lf$reTrms$Lind,
       theta0 = lf$reTrms$theta, lower = lf$reTrms$lower, cnms = lf$reTrms$cnms, flist = lf$reTrms$flist)
}

lambdat_at <- function(s, theta) {
  # The sparse pattern holds every entry theta sets, zero or not.
  L <- s$Lambdat
  L@x <- theta[s$Lind]
  as.matrix(L)
}

# Solution and pseudo-deviance of the working LMM at theta.
lmm_at <- function(s, z, w, theta, reml, s2_fixed) {
  X <- s$X
  n <- nrow(X)
  p <- ncol(X)
  Lt <- lambdat_at(s, theta)
  ZL <- t(Lt %*% s$Zt) # n x q: Z Lambda
  q <- ncol(ZL)
  A <- rbind(cbind(crossprod(ZL, w * ZL) + diag(q), crossprod(ZL, w * X)),
             cbind(crossprod(X, w * ZL), crossprod(X, w * X)))
  rhs <- c(crossprod(ZL, w * z), crossprod(X, w * z))
  R <- tryCatch(chol(A), error = function(e) NULL)
  if (is.null(R)) return(NULL)
  sol <- backsolve(R, forwardsolve(t(R), rhs))
  u <- sol[seq_len(q)]
  beta <- sol[q + seq_len(p)]
  r <- z - X %*% beta - ZL %*% u
  pwrss <- sum(w * r^2) + sum(u^2)
  ldL2 <- 2 * sum(log(diag(R)[seq_len(q)]))
  ldRX2 <- 2 * sum(log(diag(R)[q + seq_len(p)]))
  ldW <- sum(log(w))
  m <- if (reml) n - p else n
  s2 <- if (is.null(s2_fixed)) pwrss / m else s2_fixed
  dev <- m * log(2 * pi * s2) - ldW + ldL2 + (if (reml) ldRX2 else 0) + pwrss / s2
  # (R_X' R_X)^{-1}: the fixed-effects block of A^{-1}.  The conditional
  # variances of b are lme4's (ranef(condVar = TRUE)): given beta, from the
  # random-effects block of A alone, s2 Lambda (L L')^{-1} Lambda'.
  Ainv <- chol2inv(R)
  Czz <- chol2inv(chol(A[seq_len(q), seq_len(q), drop = FALSE]))
  list(beta = beta, u = u, b = as.vector(t(Lt) %*% u), pwrss = pwrss, s2 = s2, deviance = dev,
       vcov = s2 * Ainv[q + seq_len(p), q + seq_len(p), drop = FALSE],
       condvar = s2 * diag(crossprod(Lt, Czz %*% Lt)),
       fitted = as.vector(X %*% beta + t(s$Zt) %*% (t(Lt) %*% u)), theta = theta)
}

fit_lmm <- function(s, z, w, reml, s2_fixed, theta_start) {
  f <- function(th) {
    r <- lmm_at(s, z, w, th, reml, s2_fixed)
    if (is.null(r)) Inf else r$deviance
  }
  opt <- bobyqa(pmax(theta_start, s$lower + 0.01), f, lower = s$lower, control = list(rhobeg = 0.2, rhoend = 1e-10, maxfun = 1e5))
  # A second search from the first one's answer, which bobyqa's end can leave short.
  opt <- bobyqa(pmax(opt$par, s$lower), f, lower = s$lower, control = list(rhobeg = 1e-3, rhoend = 1e-11, maxfun = 1e5))
  lmm_at(s, z, w, opt$par, reml, s2_fixed)
}

# ---- the pseudo-likelihood iteration ----------------------------------------

# rule "glmmPQL": GLM start, sum((eta - eta_old)^2) < tol sum(eta^2), tol 1e-6, 10 iterations.
# rule "fitglme": mustart start, rms change <= tol max(1, rms(eta)), tol 1e-8, 100 iterations.
pl_fit <- function(rhs_formula, data, family, y, pw, off, reml, s2_fixed, rule) {
  s <- structure_of(rhs_formula, data)
  n <- length(y)
  if (rule == "glmmPQL") {
    g0 <- suppressWarnings(glm.fit(s$X, y, weights = pw, offset = off, family = family))
    eta <- g0$linear.predictors
    tol <- 1e-6
    niter <- 10
  } else {
    weights <- pw
    nobs <- n
    mustart <- NULL
    etastart <- NULL
    eval(family$initialize) # R's mustart (y, weights and nobs in scope)
    eta <- family$linkfun(mustart)
    tol <- 1e-8
    niter <- 100
  }
  theta <- s$theta0
  converged <- FALSE
  for (it in seq_len(niter)) {
    mu <- family$linkinv(eta)
    me <- family$mu.eta(eta)
    z <- eta + (y - mu) / me - off
    w <- pw * me^2 / family$variance(mu)
    fit <- fit_lmm(s, z, w, reml, s2_fixed, theta)
    theta <- fit$theta
    eta_new <- fit$fitted + off
    change <- if (rule == "glmmPQL") sum((eta_new - eta)^2) < tol * sum(eta_new^2) else
      sqrt(mean((eta_new - eta)^2)) <= tol * max(1, sqrt(mean(eta_new^2)))
    eta <- eta_new
    if (change) {
      converged <- TRUE
      break
    }
  }
  p <- ncol(s$X)
  # nlme's varFix under method "ML" scales (R_X'R_X)^{-1} by pwrss / (n - p),
  # not by its ML sigma^2 = pwrss / n (checked against glmmPQL below).
  if (rule == "glmmPQL") fit$vcov <- fit$vcov * n / (n - p)
  c(fit, list(iterations = it, converged = converged, z = z, w = w, s = s, eta = eta, logLik = -fit$deviance / 2))
}

# ---- output -----------------------------------------------------------------

# Random-effect SDs and correlations (sigma^2 Lambda Lambda') per term, lme4's order.
varcorr_rows <- function(s, theta, s2) {
  rows <- list()
  Lt <- lambdat_at(s, theta)
  off <- 0
  for (k in seq_along(s$cnms)) {
    nm <- s$cnms[[k]]
    kk <- length(nm)
    block <- Lt[off + seq_len(kk), off + seq_len(kk), drop = FALSE]
    S <- s2 * crossprod(block)
    for (i in seq_len(kk)) rows[[length(rows) + 1]] <- list(group = names(s$cnms)[k], var1 = nm[i], var2 = NULL, sdcor = sqrt(S[i, i]))
    if (kk > 1) for (j in 1:(kk - 1)) for (i in (j + 1):kk)
      rows[[length(rows) + 1]] <- list(group = names(s$cnms)[k], var1 = nm[j], var2 = nm[i], sdcor = S[i, j] / sqrt(S[i, i] * S[j, j]))
    off <- off + kk * nlevels(s$flist[[names(s$cnms)[k]]])
  }
  rows
}

ranef_rows <- function(s, fit) {
  # lme4's b is ordered term by term, level-major within a term.
  out <- list()
  off <- 0
  for (k in seq_along(s$cnms)) {
    nm <- s$cnms[[k]]
    levs <- levels(s$flist[[names(s$cnms)[k]]])
    kk <- length(nm)
    for (i in seq_len(kk)) {
      idx <- off + (seq_along(levs) - 1) * kk + i
      out[[length(out) + 1]] <- list(group = names(s$cnms)[k], term = nm[i], levels = levs,
                                     condval = fit$b[idx], condsd = sqrt(pmax(fit$condvar[idx], 0)))
    }
    off <- off + kk * length(levs)
  }
  out
}

write_case <- function(dataset, data, spec, fixef, se, theta, varcorr, sigma, logLik, iterations, converged, extra = list()) {
  dir <- file.path(OUT, dataset)
  dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  write.csv(data, file.path(dir, "data.csv"), row.names = FALSE, quote = FALSE)
  file <- file.path(dir, sprintf("%s_%s.json", tolower(spec$method), spec$dispersion))
  ref <- c(list(
    formula = spec$formula, family = spec$family, link = spec$link, method = spec$method,
    dispersion = spec$dispersion, categorical = I(spec$categorical),
    fixef = lapply(seq_along(fixef), function(i) list(name = names(fixef)[i], estimate = unname(fixef[i]), se = unname(se[i]))),
    theta = theta, varcorr = varcorr, sigma = sigma, logLik = logLik,
    iterations = iterations, converged = converged
  ), extra)
  writeLines(toJSON(ref, auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE), file)
  message("wrote ", file)
}

# |a - b| <= tol max(1, |b|), element by element.
check_close <- function(what, a, b, tol) {
  d <- max(abs(as.numeric(a) - as.numeric(b)) / pmax(1, abs(as.numeric(b))))
  message(sprintf("  check %-52s max rel. |diff| %.2e", what, d))
  if (!(d <= tol)) stop(what, ": differs by ", d)
}

# ---- cases -----------------------------------------------------------------

CASES <- list(
  bacteria = list(
    data = bacteria_data, formula = "y ~ trt + week2 + (1 | ID)", family = binomial(), family_name = "binomial",
    link = "logit", categorical = c("trt", "ID"),
    pql = function(d) glmmPQL(y ~ trt + week2, random = ~ 1 | ID, family = binomial, data = d, verbose = FALSE),
    response = function(d) list(y = d$y, pw = rep(1, nrow(d)), off = rep(0, nrow(d))),
    rhs = ~ trt + week2 + (1 | ID), dispersions = c("fixed", "estimated")
  ),
  cbpp = list(
    data = cbpp_data, formula = "cbind(incidence, size - incidence) ~ period + (1 | herd)", family = binomial(),
    family_name = "binomial", link = "logit", categorical = c("period", "herd"),
    pql = function(d) glmmPQL(cbind(incidence, size - incidence) ~ period, random = ~ 1 | herd, family = binomial, data = d, verbose = FALSE),
    response = function(d) list(y = d$incidence / d$size, pw = d$size, off = rep(0, nrow(d))),
    rhs = ~ period + (1 | herd), dispersions = c("fixed", "estimated")
  ),
  poisson_offset_slopes = list(
    data = poisson_data, formula = "y ~ x + offset(logt) + (1 + x | g)", family = poisson(), family_name = "poisson",
    link = "log", categorical = c("g"),
    pql = function(d) glmmPQL(y ~ x + offset(logt), random = ~ 1 + x | g, family = poisson, data = d, verbose = FALSE),
    response = function(d) list(y = d$y, pw = rep(1, nrow(d)), off = d$logt),
    rhs = ~ x + (1 + x | g), dispersions = c("fixed", "estimated")
  ),
  poisson_nested = list(
    data = function() fixture_data("extra-fixtures/poisson_nested_laplace", c("a", "b")),
    formula = "y ~ x + (1 | a/b)", family = poisson(), family_name = "poisson", link = "log", categorical = c("a", "b"),
    pql = function(d) glmmPQL(y ~ x, random = ~ 1 | a/b, family = poisson, data = d, verbose = FALSE),
    response = function(d) list(y = d$y, pw = rep(1, nrow(d)), off = rep(0, nrow(d))),
    rhs = ~ x + (1 | a/b), dispersions = c("fixed", "estimated")
  ),
  # The linear mixed model: every method is ML or REML on the data themselves
  # (glmmPQL's SEs are still lme's, larger than lmer's by sqrt(n / (n - p))).
  sleepstudy_gaussian = list(
    data = function() fixture_data("fixtures/sleepstudy_slopes_reml", "Subject"),
    formula = "Reaction ~ Days + (Days | Subject)", family = gaussian(), family_name = "gaussian", link = "identity",
    categorical = c("Subject"),
    pql = function(d) glmmPQL(Reaction ~ Days, random = ~ Days | Subject, family = gaussian, data = d, verbose = FALSE),
    response = function(d) list(y = d$Reaction, pw = rep(1, nrow(d)), off = rep(0, nrow(d))),
    rhs = ~ Days + (Days | Subject), dispersions = "estimated"
  ),
  # A family with a dispersion: fitglme always estimates it, so no "fixed" case.
  gamma_log = list(
    data = function() fixture_data("fixtures/gamma_log_laplace", "g"),
    formula = "y ~ x1 + x2 + (1 | g)", family = Gamma(link = "log"), family_name = "gamma", link = "log", categorical = c("g"),
    pql = function(d) glmmPQL(y ~ x1 + x2, random = ~ 1 | g, family = Gamma(link = "log"), data = d, verbose = FALSE),
    response = function(d) list(y = d$y, pw = rep(1, nrow(d)), off = rep(0, nrow(d))),
    rhs = ~ x1 + x2 + (1 | g), dispersions = "estimated"
  )
)

for (case_name in names(CASES)) {
  cs <- CASES[[case_name]]
  d <- cs$data()
  r <- cs$response(d)
  message(case_name, ":")

  # PQL: glmmPQL is the reference; the loop here must reproduce it.
  pql <- cs$pql(d)
  mine <- pl_fit(cs$rhs, d, cs$family, r$y, r$pw, r$off, reml = FALSE, s2_fixed = NULL, rule = "glmmPQL")
  tt <- summary(pql)$tTable
  # lme's own optimiser stops within about 1e-5 of the optimum (relative), the
  # search here closer: agreement to 1e-4 is what the loop can show.
  check_close("PQL loop vs glmmPQL: fixed effects", mine$beta, tt[, "Value"], 1e-4)
  check_close("PQL loop vs glmmPQL: SEs", sqrt(diag(mine$vcov)), tt[, "Std.Error"], 1e-4)
  check_close("PQL loop vs glmmPQL: sigma", sqrt(mine$s2), pql$sigma, 1e-4)
  # glmmPQL's random-effects covariances, exactly (VarCorr prints rounded
  # figures): SDs of every term, sorted (nlme orders nested terms outer
  # first, lme4 inner first), and the correlations of a single term.
  vc <- varcorr_rows(mine$s, mine$theta, mine$s2)
  S_pql <- lapply(pdMatrix(pql$modelStruct$reStruct), function(S) S * pql$sigma^2)
  sd_pql <- sort(unlist(lapply(S_pql, function(S) sqrt(diag(S)))))
  sd_mine <- sort(sapply(Filter(function(v) is.null(v$var2), vc), `[[`, "sdcor"))
  check_close("PQL loop vs glmmPQL: random-effect SDs (sorted)", sd_mine, sd_pql, 1e-4)
  if (length(S_pql) == 1 && nrow(S_pql[[1]]) > 1) {
    S <- S_pql[[1]]
    cor_pql <- cov2cor(S)[lower.tri(S)]
    cor_mine <- sapply(Filter(function(v) !is.null(v$var2), vc), `[[`, "sdcor")
    check_close("PQL loop vs glmmPQL: correlations", cor_mine, cor_pql, 1e-4)
  }
  fixef_pql <- tt[, "Value"]
  names(fixef_pql) <- rownames(tt)
  # glmmPQL's own fixed effects, SEs and sigma; theta, the variance
  # components, the BLUPs and the pseudo log-likelihood (glmmPQL blanks its
  # logLik) from the loop here, which reproduces glmmPQL (checked above).
  write_case(case_name, d,
    list(formula = cs$formula, family = cs$family_name, link = cs$link, method = "PQL", dispersion = "estimated", categorical = cs$categorical),
    fixef_pql, tt[, "Std.Error"], mine$theta, vc, pql$sigma, mine$logLik, mine$iterations, mine$converged,
    extra = list(ranef = ranef_rows(mine$s, mine)))

  for (method in c("MPL", "REMPL")) for (disp in cs$dispersions) {
    reml <- method == "REMPL"
    s2_fixed <- if (disp == "fixed") 1 else NULL
    fit <- pl_fit(cs$rhs, d, cs$family, r$y, r$pw, r$off, reml = reml, s2_fixed = s2_fixed, rule = "fitglme")
    message(sprintf("  %s, dispersion %s: %d iterations, converged %s, pseudo logLik %.8f", method, disp, fit$iterations, fit$converged, fit$logLik))
    if (!fit$converged) stop("the reference iteration did not converge")
    # The final working LMM by independent code.
    dz <- d
    dz$.z <- fit$z
    dz$.w <- fit$w
    f_lmm <- update(cs$rhs, .z ~ .)
    if (disp == "estimated") {
      lm4 <- lmer(f_lmm, data = dz, weights = .w, REML = reml,
                  control = lmerControl(optimizer = "nloptwrap", optCtrl = list(xtol_abs = 1e-12, ftol_abs = 1e-14, maxeval = 1e5),
                                        check.nobs.vs.nlev = "ignore", check.nobs.vs.nRE = "ignore"))
      # lmer's own optimiser stops earlier than the search here: its optimum
      # may be a little lower, never higher.
      check_close(paste(method, "working LMM vs lmer: fixed effects"), fit$beta, fixef(lm4), 1e-4)
      check_close(paste(method, "working LMM vs lmer: SEs"), sqrt(diag(fit$vcov)), sqrt(diag(as.matrix(vcov(lm4)))), 1e-4)
      check_close(paste(method, "working LMM vs lmer: logLik"), fit$logLik, as.numeric(logLik(lm4)), 1e-6)
      if (as.numeric(logLik(lm4)) > fit$logLik + 1e-9) stop("lmer found a higher working log-likelihood")
    } else {
      tmb <- glmmTMB(f_lmm, data = dz, weights = .w, family = gaussian(), REML = reml,
                     start = list(betad = 0), map = list(betad = factor(NA)))
      check_close(paste(method, "working LMM vs glmmTMB (sigma = 1): fixed effects"), fit$beta, fixef(tmb)$cond, 1e-4)
      sd_tmb <- unlist(lapply(VarCorr(tmb)$cond, function(v) attr(v, "stddev")))
      vc_fit <- varcorr_rows(fit$s, fit$theta, fit$s2)
      check_close(paste(method, "working LMM vs glmmTMB (sigma = 1): random SDs"), sapply(Filter(function(v) is.null(v$var2), vc_fit), `[[`, "sdcor"), sd_tmb, 1e-4)
    }
    fixef_pl <- fit$beta
    names(fixef_pl) <- colnames(fit$s$X)
    write_case(case_name, d,
      list(formula = cs$formula, family = cs$family_name, link = cs$link, method = method, dispersion = disp, categorical = cs$categorical),
      fixef_pl, sqrt(diag(fit$vcov)), fit$theta, varcorr_rows(fit$s, fit$theta, fit$s2), sqrt(fit$s2), fit$logLik,
      fit$iterations, fit$converged, extra = list(ranef = ranef_rows(fit$s, fit)))
  }
}
