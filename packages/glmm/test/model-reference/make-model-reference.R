# Reference values for the fitted-model methods (packages/model, fitModel):
# lme4's fitted(), predict() with re.form = NULL / NA and allow.new.levels = TRUE,
# residuals(), and the standard errors of the fixed part, sqrt(diag(X V X')),
# on the training data and on new data with levels the fit did not see; and
# the estimates under effects coding (contr.sum) and with rows excluded.
#
# Usage (from the repository root):
#   Rscript packages/glmm/test/model-reference/make-model-reference.R
# writes packages/glmm/test/model-reference/<case>/{newdata.csv,reference.json}.
# R 4.2.2, lme4 1.1-31.  The tests never need R.

suppressPackageStartupMessages({
  library(lme4)
  library(jsonlite)
})

root <- "packages"
out_dir <- file.path(root, "glmm/test/model-reference")
fixture <- function(name) {
  p <- file.path(root, "datasets/fixtures", name, "data.csv")
  if (!file.exists(p)) p <- file.path(root, "datasets/extra-fixtures", name, "data.csv")
  p
}

# Tight settings for each optimiser: the reference must be the optimum itself, since
# predictions are compared to 1e-6 (LMMs) and 1e-4 (GLMMs) relative.
OPT_CTRL <- list(
  bobyqa = list(rhoend = 1e-10, maxfun = 1e5),
  Nelder_Mead = list(FtolAbs = 1e-14, FtolRel = 1e-15, XtolRel = 1e-12, maxfun = 1e5),
  nloptwrap = list(xtol_abs = 1e-12, ftol_abs = 1e-14, maxeval = 1e5)
)

# The best of three optimisers.  For GLMMs PIRLS runs to tolPwrss = 1e-12: at lme4's
# default (1e-7) the Laplace deviance it evaluates is off by about 1e-4, enough to move
# the optimum (cbpp: logLik -92.026566 at the default, -92.026282 converged).
fit_best <- function(formula, data, family, reml, contrasts) {
  fits <- list()
  for (opt in names(OPT_CTRL)) {
    fit <- tryCatch(suppressWarnings(suppressMessages(
      if (is.null(family)) {
        lmer(formula, data = data, REML = reml, contrasts = contrasts, control = lmerControl(optimizer = opt, optCtrl = OPT_CTRL[[opt]]))
      } else {
        glmer(formula, data = data, family = family, contrasts = contrasts,
          control = glmerControl(optimizer = opt, tolPwrss = 1e-12, optCtrl = OPT_CTRL[[opt]]))
      }
    )), error = function(e) NULL)
    if (!is.null(fit)) fits[[opt]] <- fit
  }
  ll <- vapply(fits, function(f) as.numeric(logLik(f)), numeric(1))
  message(sprintf("  logLik %s", paste(sprintf("%s %.8f", names(ll), ll), collapse = ", ")))
  fits[[which.max(ll)]]
}

# X of new data under the fit's terms, levels and contrasts.
fixed_design <- function(fit, newdata) {
  tt <- delete.response(terms(fit, fixed.only = TRUE))
  xlev <- .getXlevels(tt, model.frame(fit))
  mf <- model.frame(tt, newdata, xlev = xlev, na.action = na.pass)
  model.matrix(tt, mf, contrasts.arg = attr(getME(fit, "X"), "contrasts"))
}

fixed_se <- function(fit, X) sqrt(rowSums((X %*% as.matrix(vcov(fit))) * X))

# Marginal residuals from mu = g^-1(X beta + offset), as lme4 defines each type.
marginal_residuals <- function(fit) {
  y <- getME(fit, "y")
  w <- weights(fit)
  mu <- predict(fit, re.form = NA, type = "response")
  fam <- family(fit)
  list(
    response = unname(y - mu),
    pearson = unname((y - mu) * sqrt(w) / sqrt(fam$variance(mu))),
    deviance = unname(sign(y - mu) * sqrt(pmax(fam$dev.resids(y, mu, w), 0)))
  )
}

make_case <- function(name, data_name, formula, family = NULL, reml = TRUE, factors = character(0),
                      contrasts = NULL, exclude = integer(0), newdata = NULL, coding = NULL) {
  message(name)
  data <- read.csv(fixture(data_name))
  for (f in factors) data[[f]] <- factor(data[[f]])
  used <- if (length(exclude)) data[-exclude, ] else data
  fit <- fit_best(as.formula(formula), used, family, reml, contrasts)
  lmm <- is.null(family)
  fe <- fixef(fit)
  out <- list(
    name = name,
    data = data_name,
    formula = formula,
    family = if (lmm) "gaussian" else family(fit)$family,
    link = if (lmm) "identity" else family(fit)$link,
    method = if (lmm) (if (reml) "reml" else "ml") else "laplace",
    categorical = I(factors),
    coding = coding,
    exclude = I(exclude),
    logLik = as.numeric(logLik(fit)),
    fixef = list(names = I(names(fe)), values = I(unname(fe))),
    sigma = sigma(fit),
    fitted = list(
      conditional = unname(fitted(fit)),
      marginal = unname(predict(fit, re.form = NA, type = "response")),
      conditionalLink = unname(predict(fit, type = "link")),
      marginalLink = unname(predict(fit, re.form = NA, type = "link"))
    ),
    residuals = list(
      response = unname(residuals(fit, type = "response")),
      pearson = unname(residuals(fit, type = "pearson")),
      deviance = unname(residuals(fit, type = "deviance"))
    ),
    marginalResiduals = marginal_residuals(fit),
    fixedSe = unname(fixed_se(fit, getME(fit, "X")))
  )
  if (!is.null(newdata)) {
    write.csv(newdata, file.path(out_dir, name, "newdata.csv"), row.names = FALSE)
    nd <- newdata
    for (f in factors) if (f %in% names(nd)) nd[[f]] <- as.character(nd[[f]])
    X <- fixed_design(fit, nd)
    groups <- names(getME(fit, "flist"))
    flags <- lapply(groups, function(g) {
      parts <- strsplit(g, ":", fixed = TRUE)[[1]]
      key <- do.call(paste, c(lapply(parts, function(p) as.character(nd[[p]])), sep = ":"))
      as.integer(!(key %in% levels(getME(fit, "flist")[[g]])))
    })
    names(flags) <- groups
    se <- unname(fixed_se(fit, X))
    pred <- list(
      conditionalLink = unname(predict(fit, newdata = nd, allow.new.levels = TRUE, type = "link")),
      conditional = unname(predict(fit, newdata = nd, allow.new.levels = TRUE, type = "response")),
      marginalLink = unname(predict(fit, newdata = nd, re.form = NA, type = "link")),
      marginal = unname(predict(fit, newdata = nd, re.form = NA, type = "response")),
      seLink = se,
      newLevel = flags
    )
    if (lmm) {
      # Prediction intervals as documented in packages/model (normal quantiles):
      # var = x'Vx + sigma^2, plus z'Sigma z for every term not conditioned on.
      vc <- VarCorr(fit)
      z <- qnorm(0.975)
      extra_marginal <- numeric(nrow(nd))
      extra_conditional <- numeric(nrow(nd))
      for (g in names(vc)) {
        S <- vc[[g]]
        cols <- colnames(S)
        Zg <- sapply(cols, function(cn) if (cn == "(Intercept)") rep(1, nrow(nd)) else nd[[cn]])
        Zg <- matrix(Zg, nrow = nrow(nd))
        v <- rowSums((Zg %*% S) * Zg)
        extra_marginal <- extra_marginal + v
        extra_conditional <- extra_conditional + v * flags[[g]]
      }
      s2 <- sigma(fit)^2
      pred$predictionInterval <- list(
        conditionalHalfWidth = z * sqrt(se^2 + s2 + extra_conditional),
        marginalHalfWidth = z * sqrt(se^2 + s2 + extra_marginal)
      )
    }
    out$newdata <- pred
  }
  write_json(out, file.path(out_dir, name, "reference.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
}

case_dir <- function(name) dir.create(file.path(out_dir, name), showWarnings = FALSE, recursive = TRUE)

cases <- list(
  function() {
    case_dir("sleepstudy_slopes")
    make_case("sleepstudy_slopes", "sleepstudy_slopes_reml", "Reaction ~ Days + (Days | Subject)",
      newdata = data.frame(Days = c(0, 2.5, 9, 4, 1.5, 7), Subject = c(308, 309, 999, 350, 1000, 372)))
  },
  function() {
    case_dir("sleepstudy_exclude")
    make_case("sleepstudy_exclude", "sleepstudy_slopes_reml", "Reaction ~ Days + (Days | Subject)", exclude = c(3L, 7L, 10L, 11L, 12L))
  },
  function() {
    case_dir("factor_slopes_effects")
    make_case("factor_slopes_effects", "factor_slopes_reml", "y ~ f + x + (x | g)", factors = c("f", "g"),
      contrasts = list(f = "contr.sum"), coding = list(f = "effects"),
      newdata = data.frame(f = c("a", "b", "c", "a", "c"), x = c(1.5, 7.77, 10, 3, 0), g = c("G01", "G02", "GNEW", "G05", "GNEW2")))
  },
  function() {
    case_dir("interaction_effects_ml")
    make_case("interaction_effects_ml", "interaction_ml", "y ~ x * f + (1 | g)", reml = FALSE, factors = c("f", "g"),
      contrasts = list(f = "contr.sum"), coding = list(f = "effects"))
  },
  function() {
    case_dir("cbpp")
    make_case("cbpp", "cbpp_binomial_laplace", "cbind(incidence, size - incidence) ~ period + (1 | herd)", family = binomial(),
      factors = c("herd", "period"),
      newdata = data.frame(herd = c(1, 5, 99, 15, 100), period = c(1, 2, 3, 4, 1)))
  },
  function() {
    case_dir("cbpp_effects")
    make_case("cbpp_effects", "cbpp_binomial_laplace", "cbind(incidence, size - incidence) ~ period + (1 | herd)", family = binomial(),
      factors = c("herd", "period"), contrasts = list(period = "contr.sum"), coding = list(period = "effects"),
      newdata = data.frame(herd = c(1, 99), period = c(2, 4)))
  },
  function() {
    case_dir("poisson_slopes")
    make_case("poisson_slopes", "poisson_slopes_laplace", "count ~ trt + x + (1 + x | g)", family = poisson(), factors = c("trt", "g"),
      newdata = data.frame(trt = c("low", "high", "low", "high"), x = c(0.5, 1.2, 2, 0), g = c("G01", "G02", "GNEW", "G10")))
  },
  function() {
    case_dir("gamma_log")
    make_case("gamma_log", "gamma_log_laplace", "y ~ x1 + x2 + (1 | g)", family = Gamma(link = "log"), factors = c("g"),
      newdata = data.frame(x1 = c(-1, 0, 1.2), x2 = c(90, 100, 110), g = c("G10", "GNEW", "G3")))
  },
  function() {
    case_dir("binary_crossed")
    make_case("binary_crossed", "binary_crossed_laplace", "y ~ x + (1 | subj) + (1 | item)", family = binomial(), factors = c("subj", "item"),
      newdata = data.frame(x = c(0.1, -0.5, 1, 0.3), subj = c("S01", "SNEW", "S05", "SNEW"), item = c("I01", "I02", "INEW", "INEW")))
  }
)
for (make in cases) make()
