# lme4 references for links outside the usual pairings (issue #13): a Gaussian
# response with the log link (glmer fits it by Laplace, with the dispersion
# estimated inside the deviance as family$aic does) and a Poisson response
# with the identity link, each on simulated data whose means stay well inside
# the mean space, so lme4 converges without warnings.  Same format and writer
# as make-reference.R.  (A Gamma response with its inverse link was tried and
# left out: on two seeds lme4's three optimisers disagreed by 7e-4 in logLik
# and Nelder-Mead's fit failed lme4's gradient check, so it is no reference.)
#
# Usage (from the repository root):
#   Rscript packages/datasets/r/make-link-references.R            # -> packages/datasets/extra-fixtures/
#   Rscript packages/datasets/r/make-link-references.R OUT case1  # some cases -> OUT/

source(file.path("packages", "datasets", "r", "make-reference.R"))

link_cases <- list(
  # Gaussian response, log link: mean exp(eta), constant variance.
  gaussian_log_laplace = function(out) {
    set.seed(1414)
    ng <- 30; per <- 10
    g <- rep(lev("G", ng), each = per)
    x <- round(runif(length(g), 0, 2), 3)
    eta <- 2 + 0.4 * x + rnorm(ng, sd = 0.25)[match(g, lev("G", ng))]
    d <- data.frame(y = round(exp(eta) + rnorm(length(g), sd = 0.6), 4), x = x, g = g)
    make_reference("gaussian_log_laplace", d, "y ~ x + (1 | g)", family = "gaussian", link = "log",
      method = "Laplace", out_root = out)
  },

  # Poisson counts whose mean is linear in x (identity link), far from 0.
  poisson_identity_laplace = function(out) {
    set.seed(1515)
    ng <- 25; per <- 12
    g <- rep(lev("G", ng), each = per)
    x <- round(runif(length(g), 0, 3), 3)
    mu <- 12 + 3 * x + rnorm(ng, sd = 2.5)[match(g, lev("G", ng))]
    d <- data.frame(y = rpois(length(g), mu), x = x, g = g)
    make_reference("poisson_identity_laplace", d, "y ~ x + (1 | g)", family = "poisson", link = "identity",
      out_root = out)
  }
)

link_main <- function(args) {
  out <- if (length(args) >= 1) args[1] else file.path("packages", "datasets", "extra-fixtures")
  which <- if (length(args) >= 2) args[-1] else names(link_cases)
  for (case in which) link_cases[[case]](out)
}

link_main(commandArgs(trailingOnly = TRUE))
