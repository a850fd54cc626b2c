# Makes lme4 reference fixtures: data.csv + reference.json in the format of
# packages/datasets/fixtures/README.md.
#
# Usage (from the repository root):
#   Rscript packages/datasets/r/make-reference.R                 # every extra case -> packages/datasets/extra-fixtures/
#   Rscript packages/datasets/r/make-reference.R OUT case1 case2  # some cases -> OUT/
#   Rscript packages/datasets/r/make-reference.R --check OUT      # re-make two shipped fixtures into OUT/ to compare
#
# Every case is one call to make_reference(); simulated data use a fixed seed,
# so anyone with R and lme4 gets the same files.

suppressPackageStartupMessages({
  library(lme4)
  library(jsonlite)
})

OPTIMIZERS <- c("bobyqa", "Nelder_Mead", "nloptwrap")

# Fits with each optimiser and keeps the highest log-likelihood (REML or ML as
# the method asks): lme4's default sometimes stops short of the optimum.
fit_best <- function(formula, data, family, link, method, nAGQ) {
  fits <- list()
  for (opt in OPTIMIZERS) {
    fit <- tryCatch(
      suppressWarnings(suppressMessages(
        if (family == "gaussian" && identical(link, "identity")) {
          lmer(formula, data = data, REML = (method == "REML"), control = lmerControl(optimizer = opt))
        } else {
          fam <- switch(family,
            binomial = binomial(link = link),
            poisson = poisson(link = link),
            gamma = Gamma(link = link),
            gaussian = gaussian(link = link),
            stop("unknown family ", family)
          )
          glmer(formula, data = data, family = fam, nAGQ = nAGQ, control = glmerControl(optimizer = opt))
        }
      )),
      error = function(e) {
        message("  ", opt, " failed: ", conditionMessage(e))
        NULL
      }
    )
    if (!is.null(fit)) {
      message(sprintf("  %-12s logLik %.10f", opt, as.numeric(logLik(fit))))
      fits[[opt]] <- fit
    }
  }
  if (length(fits) == 0) stop("no optimiser could fit ", deparse(formula))
  ll <- vapply(fits, function(f) as.numeric(logLik(f)), numeric(1))
  best <- fits[[which.max(ll)]]
  # lme4's own convergence checks: a reference it flags (e.g. a degenerate
  # Hessian, whose standard errors are then unreliable) deserves a second look.
  for (m in best@optinfo$conv$lme4$messages) message("  lme4 warns (", names(fits)[which.max(ll)], "): ", m)
  best
}

na_null <- function(x) if (length(x) == 0 || is.na(x)) NULL else x

# "cbind(s, n - s) ~ ..." -> "response is s successes out of n trials"
response_note_of <- function(formula) {
  m <- regmatches(formula, regexec("^\\s*cbind\\(\\s*([A-Za-z.][A-Za-z0-9._]*)\\s*,\\s*([A-Za-z.][A-Za-z0-9._]*)\\s*-\\s*\\1\\s*\\)", formula))[[1]]
  if (length(m) == 3) sprintf("response is %s successes out of %s trials", m[2], m[3]) else NULL
}

ranef_blocks <- function(fit) {
  d <- as.data.frame(ranef(fit, condVar = TRUE))
  d$grpvar <- as.character(d$grpvar)
  d$term <- as.character(d$term)
  d$grp <- as.character(d$grp)
  out <- list()
  for (g in sort(unique(d$grpvar))) {
    dg <- d[d$grpvar == g, ]
    for (t in unique(dg$term)) {
      dt <- dg[dg$term == t, ]
      out[[length(out) + 1]] <- list(
        group = g, term = t, levels = I(dt$grp),
        condval = I(unname(dt$condval)), condsd = I(unname(dt$condsd))
      )
    }
  }
  out
}

#' Fits one model and writes <out_root>/<name>/{data.csv,reference.json}.
#'
#' @param data       data frame; factors/characters become categorical columns
#'                   (give factors sorted levels: the reference level is the first sorted one).
#' @param formula    lme4 formula as a string, written verbatim into reference.json.
#' @param family     "gaussian", "binomial", "poisson" or "gamma".
#' @param link       link name; default the canonical one (Gamma: "log" is the usual choice).
#'                   Or a link-glm object (power(1/3), a custom link), with `link_request`
#'                   the name a user gives the platform for it ("power(1/3)").
#' @param method     "REML" or "ML" (gaussian identity), "Laplace" or "AGQ".
#' @param nAGQ       points for AGQ.
make_reference <- function(name, data, formula, family = "gaussian", link = NULL,
                           method = if (family == "gaussian") "REML" else "Laplace",
                           nAGQ = 1L, out_root, link_request = NULL) {
  if (is.null(link)) link <- switch(family, gaussian = "identity", binomial = "logit", poisson = "log", gamma = "inverse")
  link_name <- if (is.character(link)) link else link$name
  message("== ", name, ": ", formula, " [", family, "/", link_name, ", ", method, "]")
  stopifnot(method %in% c("REML", "ML", "Laplace", "AGQ"))
  if (method != "AGQ") nAGQ <- if (method == "Laplace") 1L else NA_integer_
  dir <- file.path(out_root, name)
  dir.create(dir, recursive = TRUE, showWarnings = FALSE)

  categorical <- vapply(data, function(col) is.factor(col) || is.character(col), logical(1))
  write.csv(data, file.path(dir, "data.csv"), row.names = FALSE)
  # Fit on the data as written (15 significant digits), as a reader of data.csv sees it.
  d <- read.csv(file.path(dir, "data.csv"), colClasses = ifelse(categorical, "character", "numeric"))
  # A factor keeps its own level order (cbpp's herd: 1, 2, ..., 15); characters sort.
  for (col in names(d)[categorical]) {
    d[[col]] <- if (is.factor(data[[col]])) factor(d[[col]], levels = levels(data[[col]])) else factor(d[[col]])
  }
  stopifnot(identical(names(d), names(data)))

  fit <- fit_best(as.formula(formula), d, family, link, method, nAGQ)
  is_glmm <- !(family == "gaussian" && identical(link_name, "identity"))

  cf <- summary(fit)$coefficients
  fixef_rows <- lapply(seq_len(nrow(cf)), function(i) {
    row <- list(name = rownames(cf)[i], estimate = cf[i, 1], se = cf[i, 2], statistic = cf[i, 3])
    if (is_glmm) row$p_value <- cf[i, 4]
    row
  })
  vc <- as.data.frame(VarCorr(fit))
  varcorr <- lapply(seq_len(nrow(vc)), function(i) list(
    group = vc$grp[i], var1 = na_null(vc$var1[i]), var2 = na_null(vc$var2[i]),
    vcov = vc$vcov[i], sdcor = vc$sdcor[i]
  ))
  ll <- logLik(fit)
  sig <- sigma(fit)
  ref <- list(
    name = name,
    source = sprintf("R %s.%s, lme4 %s", R.version$major, R.version$minor, as.character(packageVersion("lme4"))),
    data = "data.csv",
    columns = I(names(data)),
    column_types = as.list(setNames(ifelse(categorical, "categorical", "numeric"), names(data))),
    formula = formula,
    family = family,
    link = link_name,
    link_request = link_request,
    method = method,
    nAGQ = na_null(nAGQ),
    response_note = response_note_of(formula),
    nobs = nobs(fit),
    ngroups = as.list(ngrps(fit)),
    fixef = fixef_rows,
    vcov_fixef = unname(as.matrix(vcov(fit))),
    theta = I(unname(getME(fit, "theta"))),
    varcorr = varcorr,
    sigma = sig,
    logLik = as.numeric(ll),
    df = attr(ll, "df"),
    AIC = AIC(fit),
    BIC = BIC(fit),
    minus2logLik = -2 * as.numeric(ll),
    dispersion = if (is_glmm) sig^2 else NULL,
    REML_criterion = if (method == "REML") unname(REMLcrit(fit)) else NULL,
    conditional_deviance = sum(residuals(fit, type = "deviance")^2),
    singular = isSingular(fit),
    ranef = ranef_blocks(fit),
    fitted = I(unname(fitted(fit))),
    resid_response = I(unname(residuals(fit, type = "response"))),
    resid_deviance = I(unname(residuals(fit, type = "deviance"))),
    resid_pearson = I(unname(residuals(fit, type = "pearson")))
  )
  json <- toJSON(ref, auto_unbox = TRUE, null = "null", na = "null", digits = NA, pretty = TRUE)
  writeLines(json, file.path(dir, "reference.json"))
  message(sprintf("  -> logLik %.6f, singular %s, %d rows", as.numeric(ll), isSingular(fit), nrow(data)))
  invisible(fit)
}

# ---------------------------------------------------------------------------
# Cases

# Two shipped fixtures, re-made to show this script reproduces their format and numbers.
check_cases <- function(out_root) {
  ss <- lme4::sleepstudy
  ss$Subject <- factor(as.character(ss$Subject))
  make_reference("sleepstudy_slopes_reml", ss[, c("Reaction", "Days", "Subject")],
    "Reaction ~ Days + (Days | Subject)", out_root = out_root)
  cb <- lme4::cbpp
  cb <- cb[, c("herd", "incidence", "size", "period")]
  make_reference("cbpp_binomial_laplace", cb,
    "cbind(incidence, size - incidence) ~ period + (1 | herd)", family = "binomial", link = "logit",
    out_root = out_root)
}

lev <- function(prefix, n) sprintf("%s%02d", prefix, seq_len(n))

extra_cases <- list(
  # Bernoulli response, crossed subjects and items.
  binary_crossed_laplace = function(out) {
    set.seed(101)
    ns <- 30; ni <- 20
    d <- expand.grid(subj = lev("S", ns), item = lev("I", ni), stringsAsFactors = FALSE)
    d$x <- round(rnorm(nrow(d)), 3)
    us <- rnorm(ns, sd = 0.9); ui <- rnorm(ni, sd = 0.6)
    eta <- -0.3 + 0.8 * d$x + us[match(d$subj, lev("S", ns))] + ui[match(d$item, lev("I", ni))]
    d$y <- rbinom(nrow(d), 1, plogis(eta))
    make_reference("binary_crossed_laplace", d[, c("y", "x", "subj", "item")],
      "y ~ x + (1 | subj) + (1 | item)", family = "binomial", link = "logit", out_root = out)
  },

  # Categorical fixed effect plus a numeric slope that varies by group.
  factor_slopes_reml = function(out) {
    set.seed(202)
    ng <- 25; per <- 12
    g <- rep(lev("G", ng), each = per)
    f <- sample(c("a", "b", "c"), length(g), replace = TRUE)
    x <- round(runif(length(g), 0, 10), 2)
    b0 <- rnorm(ng, sd = 3); b1 <- 0.3 * b0 / 3 + rnorm(ng, sd = 0.5)
    gi <- match(g, lev("G", ng))
    y <- 20 + c(a = 0, b = 2.5, c = -1.5)[f] + 1.2 * x + b0[gi] + b1[gi] * x + rnorm(length(g), sd = 2)
    d <- data.frame(y = round(y, 4), f = f, x = x, g = g)
    make_reference("factor_slopes_reml", d, "y ~ f + x + (x | g)", out_root = out)
  },

  # Poisson counts with correlated random intercepts and slopes, factor fixed effect.
  poisson_slopes_laplace = function(out) {
    set.seed(303)
    ng <- 30; per <- 15
    g <- rep(lev("G", ng), each = per)
    trt <- sample(c("ctl", "high", "low"), length(g), replace = TRUE)
    x <- round(rnorm(length(g)), 3)
    L <- chol(matrix(c(0.25, 0.05, 0.05, 0.09), 2))
    b <- matrix(rnorm(2 * ng), ng) %*% L
    gi <- match(g, lev("G", ng))
    eta <- 1 + c(ctl = 0, high = 0.5, low = -0.4)[trt] + 0.3 * x + b[gi, 1] + b[gi, 2] * x
    d <- data.frame(count = rpois(length(g), exp(eta)), trt = trt, x = x, g = g)
    make_reference("poisson_slopes_laplace", d, "count ~ trt + x + (1 + x | g)",
      family = "poisson", link = "log", out_root = out)
  },

  # Binomial successes out of trials, uncorrelated intercept and slope.
  binomial_uncorrelated_laplace = function(out) {
    set.seed(404)
    ng <- 30; per <- 8
    g <- rep(lev("H", ng), each = per)
    x <- round(runif(length(g), -2, 2), 3)
    n <- sample(5:20, length(g), replace = TRUE)
    gi <- match(g, lev("H", ng))
    b0 <- rnorm(ng, sd = 0.7); b1 <- rnorm(ng, sd = 0.4)
    s <- rbinom(length(g), n, plogis(-0.5 + 0.6 * x + b0[gi] + b1[gi] * x))
    d <- data.frame(s = s, n = n, x = x, g = g)
    make_reference("binomial_uncorrelated_laplace", d, "cbind(s, n - s) ~ x + (x || g)",
      family = "binomial", link = "logit", out_root = out)
  },

  # Poisson with b nested in a; b's labels repeat across a (only a/b makes them distinct).
  poisson_nested_laplace = function(out) {
    set.seed(505)
    na <- 12; nb <- 4; per <- 6
    d <- expand.grid(rep = seq_len(per), b = letters[1:nb], a = lev("A", na), stringsAsFactors = FALSE)
    d$x <- round(rnorm(nrow(d)), 3)
    ua <- rnorm(na, sd = 0.5); uab <- rnorm(na * nb, sd = 0.35)
    ai <- match(d$a, lev("A", na)); abi <- (ai - 1) * nb + match(d$b, letters[1:nb])
    d$y <- rpois(nrow(d), exp(0.8 + 0.4 * d$x + ua[ai] + uab[abi]))
    make_reference("poisson_nested_laplace", d[, c("y", "x", "a", "b")], "y ~ x + (1 | a/b)",
      family = "poisson", link = "log", out_root = out)
  },

  # Gamma (log link) with a correlated random slope.
  gamma_slopes_laplace = function(out) {
    set.seed(606)
    ng <- 25; per <- 16
    g <- rep(lev("G", ng), each = per)
    x <- round(runif(length(g), -1, 1), 3)
    gi <- match(g, lev("G", ng))
    b0 <- rnorm(ng, sd = 0.3); b1 <- 0.5 * b0 + rnorm(ng, sd = 0.2)
    mu <- exp(1 + 0.5 * x + b0[gi] + b1[gi] * x)
    shape <- 5
    d <- data.frame(y = rgamma(length(g), shape = shape, rate = shape / mu), x = x, g = g)
    make_reference("gamma_slopes_laplace", d, "y ~ x + (1 + x | g)",
      family = "gamma", link = "log", out_root = out)
  },

  # The same design, more replicates and another seed: lme4 converges cleanly here.
  gamma_crossed_reps_laplace = function(out) {
    set.seed(626)
    ng <- 20; nh <- 10
    d <- expand.grid(g = lev("G", ng), h = lev("H", nh), stringsAsFactors = FALSE)
    d <- d[rep(seq_len(nrow(d)), 4), ]
    d$x <- round(rnorm(nrow(d)), 3)
    ug <- rnorm(ng, sd = 0.4); uh <- rnorm(nh, sd = 0.3)
    mu <- exp(0.5 + 0.3 * d$x + ug[match(d$g, lev("G", ng))] + uh[match(d$h, lev("H", nh))])
    d$y <- rgamma(nrow(d), shape = 4, rate = 4 / mu)
    rownames(d) <- NULL
    make_reference("gamma_crossed_reps_laplace", d[, c("y", "x", "g", "h")], "y ~ x + (1 | g) + (1 | h)",
      family = "gamma", link = "log", out_root = out)
  },

  # Numeric-by-factor interaction, maximum likelihood.
  interaction_ml = function(out) {
    set.seed(707)
    ng <- 20; per <- 10
    g <- rep(lev("G", ng), each = per)
    f <- sample(c("lo", "mid", "hi"), length(g), replace = TRUE)
    x <- round(rnorm(length(g), 5, 2), 3)
    slope <- c(hi = 1.5, lo = 0.5, mid = 1.0)[f]
    y <- 10 + c(hi = 3, lo = 0, mid = 1)[f] + slope * x + rnorm(ng, sd = 2)[match(g, lev("G", ng))] + rnorm(length(g), sd = 1.5)
    d <- data.frame(y = round(y, 4), x = x, f = f, g = g)
    make_reference("interaction_ml", d, "y ~ x * f + (1 | g)", method = "ML", out_root = out)
  },

  # A factor inside the random-effects term: one variance per level, all correlated.
  factor_in_random_reml = function(out) {
    set.seed(808)
    ng <- 40; per <- 4
    d <- expand.grid(rep = seq_len(per), f = c("A", "B", "C"), g = lev("G", ng), stringsAsFactors = FALSE)
    S <- matrix(c(4, 2, 1, 2, 3, 1.2, 1, 1.2, 2), 3)
    b <- matrix(rnorm(3 * ng), ng) %*% chol(S)
    gi <- match(d$g, lev("G", ng)); fi <- match(d$f, c("A", "B", "C"))
    d$y <- round(50 + c(0, 3, -2)[fi] + b[cbind(gi, fi)] + rnorm(nrow(d), sd = 1.5), 4)
    make_reference("factor_in_random_reml", d[, c("y", "f", "g")], "y ~ f + (0 + f | g)", out_root = out)
  },

  # Adaptive Gauss-Hermite quadrature, 9 points, Poisson random intercept.
  poisson_agq9 = function(out) {
    set.seed(909)
    ng <- 40; per <- 6
    g <- rep(lev("G", ng), each = per)
    x <- round(runif(length(g), 0, 2), 3)
    eta <- -0.2 + 0.7 * x + rnorm(ng, sd = 0.8)[match(g, lev("G", ng))]
    d <- data.frame(y = rpois(length(g), exp(eta)), x = x, g = g)
    make_reference("poisson_agq9", d, "y ~ x + (1 | g)", family = "poisson", link = "log",
      method = "AGQ", nAGQ = 9L, out_root = out)
  },

  # Bernoulli response with the complementary log-log link.
  binary_cloglog_laplace = function(out) {
    set.seed(1010)
    ng <- 40; per <- 15
    g <- rep(lev("G", ng), each = per)
    x <- round(rnorm(length(g)), 3)
    eta <- -0.7 + 0.6 * x + rnorm(ng, sd = 0.7)[match(g, lev("G", ng))]
    d <- data.frame(y = rbinom(length(g), 1, 1 - exp(-exp(eta))), x = x, g = g)
    make_reference("binary_cloglog_laplace", d, "y ~ x + (1 | g)", family = "binomial", link = "cloglog", out_root = out)
  },

  # Bernoulli response with the probit link.
  binary_probit_laplace = function(out) {
    set.seed(1111)
    ng <- 30; per <- 20
    g <- rep(lev("G", ng), each = per)
    x <- round(rnorm(length(g)), 3)
    eta <- 0.2 - 0.5 * x + rnorm(ng, sd = 0.6)[match(g, lev("G", ng))]
    d <- data.frame(y = rbinom(length(g), 1, pnorm(eta)), x = x, g = g)
    make_reference("binary_probit_laplace", d, "y ~ x + (1 | g)", family = "binomial", link = "probit", out_root = out)
  },

  # Three variance components: classes nested in schools, crossed with raters.
  gaussian_three_terms_reml = function(out) {
    set.seed(1212)
    ns <- 10; nc <- 3; nr <- 8; per <- 2
    d <- expand.grid(rep = seq_len(per), rater = lev("R", nr), class = c("c1", "c2", "c3"), school = lev("S", ns),
      stringsAsFactors = FALSE)
    d$x <- round(rnorm(nrow(d)), 3)
    us <- rnorm(ns, sd = 2); uc <- rnorm(ns * nc, sd = 1.2); ur <- rnorm(nr, sd = 1.5)
    si <- match(d$school, lev("S", ns)); ci <- (si - 1) * nc + match(d$class, c("c1", "c2", "c3"))
    d$y <- round(30 + 2 * d$x + us[si] + uc[ci] + ur[match(d$rater, lev("R", nr))] + rnorm(nrow(d), sd = 2), 4)
    make_reference("gaussian_three_terms_reml", d[, c("y", "x", "school", "class", "rater")],
      "y ~ x + (1 | school/class) + (1 | rater)", out_root = out)
  },

  # Slope without real between-group variation: lme4 lands on the boundary.
  singular_slopes_reml = function(out) {
    set.seed(1313)
    ng <- 12; per <- 6
    g <- rep(lev("G", ng), each = per)
    x <- rep(0:(per - 1), ng)
    y <- 5 + 0.5 * x + rnorm(ng, sd = 1)[match(g, lev("G", ng))] + rnorm(length(g), sd = 1)
    d <- data.frame(y = round(y, 4), x = x, g = g)
    make_reference("singular_slopes_reml", d, "y ~ x + (x | g)", out_root = out)
  }
)

main <- function(args) {
  if (length(args) >= 1 && args[1] == "--check") {
    check_cases(if (length(args) >= 2) args[2] else tempdir())
    return(invisible())
  }
  out <- if (length(args) >= 1) args[1] else file.path("packages", "datasets", "extra-fixtures")
  which <- if (length(args) >= 2) args[-1] else names(extra_cases)
  for (case in which) extra_cases[[case]](out)
}

if (sys.nframe() == 0L) main(commandArgs(trailingOnly = TRUE))
