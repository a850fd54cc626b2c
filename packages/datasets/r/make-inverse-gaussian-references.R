# Inverse Gaussian GLMM references computed from the likelihood itself:
# data.csv + reference.json per case in packages/datasets/family-references/<name>/.
#
# Usage (from the repository root):
#   Rscript packages/datasets/r/make-inverse-gaussian-references.R            # every case
#   Rscript packages/datasets/r/make-inverse-gaussian-references.R OUT case1  # some cases -> OUT/
#
# lme4's inverse.gaussian fits are not a reference: lme4 estimates the
# dispersion from the residuals rather than by maximum likelihood and leaves it
# out of the Laplace Hessian.  Here the random-intercept model
#   y | b ~ IG(mu, phi),  g(mu) = x'beta + b,  b ~ N(0, sd^2)
# is fitted by maximising, over (beta, log sd, log phi), with nlminb and a BFGS
# polish (scalar-glmm-likelihood.R):
#   - agq25:            the exact marginal likelihood by adaptive Gauss-Hermite
#                       quadrature, 25 nodes per group (the true ML);
#   - laplace_observed: the Laplace approximation with the exact Hessian of the
#                       log integrand, 1/phi included (the true Laplace);
#   - laplace_fisher:   the Laplace approximation with the expected information
#                       (PIRLS weights mu.eta^2 / (phi mu^3), 1/phi included);
#                       for the canonical link 1/mu^2 it equals laplace_observed.
# Standard errors come from the numerical Hessian (numDeriv) of each maximised
# function.  lme4's own fit is recorded beside them for comparison only.

suppressPackageStartupMessages({
  library(lme4)
  library(statmod)
  library(jsonlite)
})
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])), "scalar-glmm-likelihood.R"))

lev <- function(prefix, n) sprintf("%s%02d", prefix, seq_len(n))

summarise <- function(r, model) {
  list(
    method = r$method, nodes = r$nodes, logLik = r$logLik,
    fixef = lapply(seq_along(r$beta), function(i) list(name = colnames(model$X)[i], estimate = r$beta[i], se = r$beta_se[i])),
    sd = r$sigma, log_sd_se = r$log_sigma_se, dispersion = r$parameter, log_dispersion_se = r$log_parameter_se,
    max_abs_gradient = max(abs(r$gradient)),
    # sum log f(y | mu = y, phi): the saturated model's log-likelihood at this dispersion, which a
    # deviance that leaves it out (lme4's AGQ convention) would have to add back.
    saturated_loglik = sum(-0.5 * log(2 * pi * r$parameter * model$y^3)),
    ranef = list(list(group = model$group_name, term = "(Intercept)", levels = I(model$levels),
      condval = I(unname(r$modes)), condsd = I(unname(r$cond_sd))))
  )
}

make_ig_reference <- function(name, data, formula, link, out_root) {
  message("== ", name, ": ", formula, " [inverse_gaussian/", link, "]")
  dir <- file.path(out_root, name)
  dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  write.csv(data, file.path(dir, "data.csv"), row.names = FALSE)
  d <- read.csv(file.path(dir, "data.csv"), colClasses = c(g = "character"))
  d$g <- factor(d$g)
  model <- list(y = d$y, X = model.matrix(~ x, d), offset = rep(0, nrow(d)), group = as.integer(d$g),
    group_name = "g", levels = levels(d$g), family = "inverse_gaussian", link = link)

  glm0 <- glm(y ~ x, data = d, family = inverse.gaussian(link = link))
  start <- c(coef(glm0), log(0.3), log(summary(glm0)$dispersion))
  fits <- list()
  for (method in c("agq", "laplace_observed", "laplace_fisher")) {
    t <- system.time(r <- fit_marginal(model, method, start, nodes = 25))[["elapsed"]]
    message(sprintf("  %-16s logLik %.8f  beta %s  sd %.6f  phi %.6f  (|grad| %.1e, %.0f s)", method, r$logLik,
      paste(sprintf("%.6f", r$beta), collapse = " "), r$sigma, r$parameter, max(abs(r$gradient)), t))
    fits[[if (method == "agq") "agq25" else method]] <- summarise(r, model)
    start <- c(r$beta, log(r$sigma), log(r$parameter))
  }
  # The quadrature has converged: more nodes change the log-likelihood at the optimum by this much.
  a <- fits$agq25
  at <- function(n) marginal_loglik(model, sapply(a$fixef, `[[`, "estimate"), a$sd, a$dispersion, nodes = n)$agq
  agq_check <- list(nodes15 = at(15) - a$logLik, nodes51 = at(51) - a$logLik)
  message(sprintf("  AGQ at the optimum: 15 nodes %+.1e, 51 nodes %+.1e", agq_check$nodes15, agq_check$nodes51))

  lme4_fit <- tryCatch({
    m <- suppressWarnings(glmer(as.formula(formula), data = d, family = inverse.gaussian(link = link)))
    list(logLik = as.numeric(logLik(m)), fixef = I(unname(fixef(m))), se = I(unname(sqrt(diag(as.matrix(vcov(m)))))),
      sd = as.data.frame(VarCorr(m))$sdcor[1], sigma = sigma(m),
      messages = I(as.character(c(m@optinfo$conv$lme4$messages, m@optinfo$warnings))))
  }, error = function(e) list(error = conditionMessage(e)))

  ref <- list(
    name = name,
    source = sprintf("R %s.%s, base R likelihood (scalar-glmm-likelihood.R), numDeriv %s; lme4 %s for comparison",
      R.version$major, R.version$minor, as.character(packageVersion("numDeriv")), as.character(packageVersion("lme4"))),
    script = "packages/datasets/r/make-inverse-gaussian-references.R",
    data = "data.csv",
    columns = I(names(data)),
    column_types = list(y = "numeric", x = "numeric", g = "categorical"),
    formula = formula,
    family = "inverse_gaussian",
    link = link,
    nobs = nrow(d),
    ngroups = list(g = nlevels(d$g)),
    marginal = fits,
    agq_node_check = agq_check,
    lme4_for_comparison = lme4_fit
  )
  writeLines(toJSON(ref, auto_unbox = TRUE, null = "null", na = "null", digits = NA, pretty = TRUE),
    file.path(dir, "reference.json"))
  invisible(ref)
}

cases <- list(
  # Canonical link: eta = 1/mu^2 = 2 + 1.5 x + b stays well above 0.
  ig_canonical = function(out) {
    set.seed(4646)
    ng <- 40; per <- 15
    g <- rep(lev("G", ng), each = per)
    x <- round(runif(length(g)), 3)
    eta <- 2 + 1.5 * x + rnorm(ng, sd = 0.4)[match(g, lev("G", ng))]
    y <- signif(rinvgauss(length(g), mean = 1 / sqrt(eta), dispersion = 0.8), 8)
    make_ig_reference("ig_canonical", data.frame(y = y, x = x, g = g), "y ~ x + (1 | g)", "1/mu^2", out)
  },

  # Log link.
  ig_log = function(out) {
    set.seed(5757)
    ng <- 50; per <- 12
    g <- rep(lev("G", ng), each = per)
    x <- round(rnorm(length(g)), 3)
    eta <- 0.3 + 0.6 * x + rnorm(ng, sd = 0.5)[match(g, lev("G", ng))]
    y <- signif(rinvgauss(length(g), mean = exp(eta), dispersion = 0.5), 8)
    make_ig_reference("ig_log", data.frame(y = y, x = x, g = g), "y ~ x + (1 | g)", "log", out)
  }
)

main <- function(args) {
  out <- if (length(args) >= 1) args[1] else file.path("packages", "datasets", "family-references")
  which <- if (length(args) >= 2) args[-1] else names(cases)
  for (case in which) cases[[case]](out)
}

if (sys.nframe() == 0L) main(commandArgs(trailingOnly = TRUE))
