# Known values for the negative binomial and inverse Gaussian families and
# their densities, and for Gamma and gaussian at a fixed (ML) dispersion: packages/datasets/family-references/family-values.json,
# read by the unit tests of packages/distributions and the two family packages.
#
# Usage (from the repository root):  Rscript packages/datasets/r/make-family-values.R
#
# Sources: R's dnbinom, digamma, trigamma; MASS's negative.binomial(theta)
# (variance, dev.resids, aic) and theta.ml; R's inverse.gaussian() (variance,
# dev.resids, aic); statmod's dinvgauss for the inverse Gaussian density.

suppressPackageStartupMessages({
  library(MASS)
  library(statmod)
  library(jsonlite)
})

out <- if (length(commandArgs(TRUE)) >= 1) commandArgs(TRUE)[1] else
  file.path("packages", "datasets", "family-references", "family-values.json")

# Infinite values as the strings JavaScript's Number() reads back.
num <- function(v) if (is.infinite(v)) (if (v > 0) "Infinity" else "-Infinity") else v

# dnbinom(x, size, mu, log = TRUE) over small and large counts, shapes from
# 1e-3 to 1e15 (where it must tend to the Poisson density) and means from 1e-6 to 1e6.
grid <- rbind(
  expand.grid(x = c(0, 1, 3, 17, 250, 1e5), size = c(1e-3, 0.5, 2, 40, 1e4, 1e8, 1e12, 1e15), mu = c(1e-6, 0.7, 12.5, 3e3, 1e6)),
  data.frame(x = c(5, 5, 0, 2), size = c(1e15, Inf, Inf, 3), mu = c(4.2, 4.2, 4.2, 0))
)
dnb <- lapply(seq_len(nrow(grid)), function(i) {
  r <- grid[i, ]
  list(x = r$x, size = num(r$size), mu = r$mu, log = num(dnbinom(r$x, size = r$size, mu = r$mu, log = TRUE)))
})
dpois_limit <- dpois(5, 4.2, log = TRUE)

# statmod::dinvgauss(x, mean, dispersion, log = TRUE)
ig_grid <- expand.grid(x = c(1e-3, 0.2, 1, 3.7, 50), mean = c(0.05, 1, 2.5, 400), dispersion = c(1e-4, 0.3, 2, 50))
dig <- lapply(seq_len(nrow(ig_grid)), function(i) {
  r <- ig_grid[i, ]
  list(x = r$x, mean = r$mean, dispersion = r$dispersion,
    log = dinvgauss(r$x, mean = r$mean, dispersion = r$dispersion, log = TRUE))
})

poly_x <- c(1e-8, 0.3, 1, 2.5, 9.99, 10, 19.5, 20, 37.2, 1e3, 1e8)
polygamma <- lapply(poly_x, function(x) list(x = x, digamma = digamma(x), trigamma = trigamma(x)))

# MASS's negative.binomial(theta) on a weighted count vector with a zero.
nb_y <- c(0, 3, 1, 7, 12, 0, 45)
nb_mu <- c(0.5, 2, 1.4, 9.1, 10, 2.2, 30.5)
nb_wt <- c(1, 1, 2, 1, 0.5, 1, 1)
nb_family <- lapply(c(0.3, 2, 15, 1e6, 1e12), function(theta) {
  f <- negative.binomial(theta)
  dr <- f$dev.resids(nb_y, nb_mu, nb_wt)
  list(theta = theta, y = nb_y, mu = nb_mu, wt = nb_wt, dev_resids = dr, deviance = sum(dr),
    aic = f$aic(nb_y, rep(1, length(nb_y)), nb_mu, nb_wt, sum(dr)),
    # the exact -2 log-likelihood from dnbinom, which MASS's aic formula (lgamma-based)
    # reproduces only to about 1e-6 at theta = 1e12
    minus2loglik = -2 * sum(nb_wt * dnbinom(nb_y, size = theta, mu = nb_mu, log = TRUE)),
    variance = f$variance(nb_mu))
})

# R's inverse.gaussian(): unit deviance and aic at the ML dispersion dev/sum(wt);
# and -2 log-likelihood at given dispersions.
ig_y <- c(0.8, 2.5, 1.1, 4.2, 0.3, 0.05)
ig_mu <- c(1.0, 2.0, 1.5, 3.0, 0.6, 0.07)
ig_wt <- c(1, 1, 2, 1, 1, 0.5)
igf <- inverse.gaussian()
ig_dr <- igf$dev.resids(ig_y, ig_mu, ig_wt)
ig_family <- list(y = ig_y, mu = ig_mu, wt = ig_wt, dev_resids = ig_dr, deviance = sum(ig_dr),
  aic = igf$aic(ig_y, rep(1, length(ig_y)), ig_mu, ig_wt, sum(ig_dr)), variance = igf$variance(ig_mu),
  minus2loglik = lapply(c(0.01, 0.4, 3), function(phi) list(dispersion = phi,
    value = -2 * sum(ig_wt * dinvgauss(ig_y, mean = ig_mu, dispersion = phi, log = TRUE)))))

# Gamma and gaussian with the dispersion phi fixed (their ML-dispersion parameter's
# at(phi)): R's unit deviance residuals over phi and the exact -2 log-likelihood
# from dgamma (shape 1/phi, scale mu phi) and dnorm (sd sqrt(phi / wt)).
gm_y <- c(0.8, 2.5, 1.1, 4.2, 0.3)
gm_mu <- c(1.0, 2.0, 1.5, 3.0, 0.6)
gm_wt <- c(1, 1, 2, 1, 1)
gamma_ml <- lapply(c(0.05, 0.3, 2.5), function(phi) {
  dr <- Gamma()$dev.resids(gm_y, gm_mu, gm_wt) / phi
  list(dispersion = phi, y = gm_y, mu = gm_mu, wt = gm_wt, dev_resids = dr, deviance = sum(dr),
    minus2loglik = -2 * sum(gm_wt * dgamma(gm_y, shape = 1 / phi, scale = gm_mu * phi, log = TRUE)),
    variance = phi * Gamma()$variance(gm_mu))
})
gs_y <- c(1.2, -0.5, 3.3, 2.0)
gs_mu <- c(1.0, 0.1, 2.5, 2.2)
gs_wt <- c(1, 2, 0.5, 1)
gaussian_ml <- lapply(c(0.1, 2.5, 40), function(phi) {
  dr <- gaussian()$dev.resids(gs_y, gs_mu, gs_wt) / phi
  list(dispersion = phi, y = gs_y, mu = gs_mu, wt = gs_wt, dev_resids = dr, deviance = sum(dr),
    minus2loglik = -2 * sum(dnorm(gs_y, gs_mu, sqrt(phi / gs_wt), log = TRUE)))
})

# MASS::theta.ml: the ML shape at given means (the family's parameter start).
set.seed(42)
mu1 <- exp(rnorm(300, 1, 0.8))
y1 <- rnbinom(300, size = 1.7, mu = mu1)
mu2 <- exp(rnorm(200, 2, 0.5))
y2 <- rnbinom(200, size = 25, mu = mu2)
wt2 <- sample(1:3, 200, replace = TRUE)
theta_ml <- list(
  list(y = y1, mu = mu1, wt = rep(1, 300), theta = as.numeric(theta.ml(y1, mu1, limit = 100, eps = 1e-12))),
  list(y = y2, mu = mu2, wt = wt2, theta = as.numeric(theta.ml(y2, mu2, weights = wt2, limit = 100, eps = 1e-12)))
)

values <- list(
  source = sprintf("R %s.%s, MASS %s, statmod %s", R.version$major, R.version$minor,
    as.character(packageVersion("MASS")), as.character(packageVersion("statmod"))),
  script = "packages/datasets/r/make-family-values.R",
  dnbinom = dnb,
  dpois_limit = list(x = 5, mu = 4.2, log = dpois_limit),
  dinvgauss = dig,
  polygamma = polygamma,
  nb_family = nb_family,
  ig_family = ig_family,
  gamma_ml = gamma_ml,
  gaussian_ml = gaussian_ml,
  theta_ml = theta_ml
)
dir.create(dirname(out), recursive = TRUE, showWarnings = FALSE)
writeLines(toJSON(values, auto_unbox = TRUE, digits = NA, pretty = TRUE), out)
message("wrote ", out)
