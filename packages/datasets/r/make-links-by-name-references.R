# lme4 references for links asked for by name: a power link and a custom link
# paired with built-in families.  data.csv + reference.json (the fixture format of
# packages/datasets/fixtures/README.md, plus `link_request`: the name given to the
# platform) per case in packages/datasets/family-references/<name>/.
#
# Usage (from the repository root):
#   Rscript packages/datasets/r/make-links-by-name-references.R            # every case
#   Rscript packages/datasets/r/make-links-by-name-references.R OUT case1  # some cases -> OUT/
#
# Uses make_reference() of make-reference.R (best of three optimisers).

suppressPackageStartupMessages({
  library(lme4)
  library(jsonlite)
})
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])), "make-reference.R"))

# The custom link the platform's tests register as "softplus" (packages/testing/src/test-links.ts):
# mu = log(1 + exp(eta)), mu and mu.eta floored at DBL_EPSILON.
softplus <- structure(list(
  linkfun = function(mu) ifelse(mu > 1, mu + log(-expm1(-mu)), log(expm1(mu))),
  linkinv = function(eta) pmax(ifelse(eta > 0, eta + log1p(exp(-eta)), log1p(exp(eta))), .Machine$double.eps),
  mu.eta = function(eta) pmax(1 / (1 + exp(-eta)), .Machine$double.eps),
  valideta = function(eta) all(is.finite(eta)),
  name = "softplus"
), class = "link-glm")

link_cases <- list(
  # Poisson counts with mu^(1/3) linear in x: R's power(1/3), named "mu^0.333".
  poisson_power_third_laplace = function(out) {
    set.seed(7171)
    ng <- 30; per <- 12
    g <- rep(lev("G", ng), each = per)
    x <- round(runif(length(g)), 3)
    eta <- 1 + 1.2 * x + rnorm(ng, sd = 0.25)[match(g, lev("G", ng))]
    d <- data.frame(y = rpois(length(g), pmax(eta, 0.05)^3), x = x, g = g)
    make_reference("poisson_power_third_laplace", d, "y ~ x + (1 | g)", family = "poisson", link = power(1 / 3),
      link_request = "power(1/3)", out_root = out)
  },

  # Gamma responses with the custom softplus link, lme4's Gamma dispersion.
  gamma_softplus_laplace = function(out) {
    set.seed(8282)
    ng <- 25; per <- 16
    g <- rep(lev("G", ng), each = per)
    x <- round(rnorm(length(g)), 3)
    eta <- 1 + 0.8 * x + rnorm(ng, sd = 0.5)[match(g, lev("G", ng))]
    mu <- log1p(exp(eta))
    d <- data.frame(y = rgamma(length(g), shape = 6, rate = 6 / mu), x = x, g = g)
    make_reference("gamma_softplus_laplace", d, "y ~ x + (1 | g)", family = "gamma", link = softplus,
      link_request = "softplus", out_root = out)
  }
)

main_links <- function(args) {
  out <- if (length(args) >= 1) args[1] else file.path("packages", "datasets", "family-references")
  which <- if (length(args) >= 2) args[-1] else names(link_cases)
  for (case in which) link_cases[[case]](out)
}

main_links(commandArgs(trailingOnly = TRUE))
