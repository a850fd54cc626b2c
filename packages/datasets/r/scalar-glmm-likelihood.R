# The marginal likelihood of a GLMM with one random intercept, written out in
# base R so that a reference does not depend on any GLMM package:
#
#   L(beta, sigma, par) = prod_g  int prod_{i in g} f(y_i | mu_i(b), par) N(b; 0, sigma^2) db,
#   mu_i(b) = linkinv(x_i' beta + offset_i + b).
#
# For each group the integrand's mode b^ is found by a safeguarded Newton
# iteration; then
#   - agq:              adaptive Gauss-Hermite quadrature centred at b^ and
#                       scaled by the exact curvature there (the true integral
#                       to many digits with 25+ nodes);
#   - laplace_observed: Laplace's method with the exact Hessian of the log
#                       integrand (what TMB/glmmTMB computes);
#   - laplace_fisher:   the same with the expected information sum mu'^2 / Var(y)
#                       in place of the observed one (lme4's PIRLS weights, the
#                       dispersion included), i.e. glmer's Laplace for non-canonical links.
# For a canonical link both Laplace variants coincide.
#
# Sourced by make-nb-references.R and make-inverse-gaussian-references.R.

# Gauss-Hermite nodes and weights for the weight exp(-x^2) (Golub-Welsch).
gauss_hermite <- function(n) {
  j <- seq_len(n - 1)
  jacobi <- matrix(0, n, n)
  jacobi[cbind(j, j + 1)] <- sqrt(j / 2)
  jacobi[cbind(j + 1, j)] <- sqrt(j / 2)
  e <- eigen(jacobi, symmetric = TRUE)
  o <- order(e$values)
  list(nodes = e$values[o], weights = sqrt(pi) * e$vectors[1, o]^2)
}

# Links: mu, d mu / d eta, d^2 mu / d eta^2, and the valid eta.
LINKS <- list(
  log = list(
    inv = function(eta) exp(eta), d1 = function(eta) exp(eta), d2 = function(eta) exp(eta),
    valid = function(eta) is.finite(eta)
  ),
  `1/mu^2` = list(
    inv = function(eta) eta^-0.5, d1 = function(eta) -0.5 * eta^-1.5, d2 = function(eta) 0.75 * eta^-2.5,
    valid = function(eta) is.finite(eta) & eta > 0
  )
)

# Families: log density, its first two derivatives in mu, and the Fisher
# information for mu (1 / Var(y)), each at a distribution parameter `par`.
FAMILIES <- list(
  # NB2 with shape theta: Var(y) = mu + mu^2 / theta.
  negative_binomial = list(
    logf = function(y, mu, theta) dnbinom(y, size = theta, mu = mu, log = TRUE),
    d1 = function(y, mu, theta) y / mu - (y + theta) / (mu + theta),
    d2 = function(y, mu, theta) -y / mu^2 + (y + theta) / (mu + theta)^2,
    info = function(mu, theta) 1 / (mu + mu^2 / theta)
  ),
  # Inverse Gaussian with dispersion phi: Var(y) = phi mu^3 (the density is statmod's dinvgauss).
  inverse_gaussian = list(
    logf = function(y, mu, phi) -0.5 * log(2 * pi * phi * y^3) - (y - mu)^2 / (2 * phi * mu^2 * y),
    d1 = function(y, mu, phi) (y - mu) / (phi * mu^3),
    d2 = function(y, mu, phi) -(3 * y - 2 * mu) / (phi * mu^4),
    info = function(mu, phi) 1 / (phi * mu^3)
  )
)

#' @param model list(y, X, offset, group (integer 1..G), family, link)
#' @return per-group pieces at the mode: log integrand h(b^), observed and
#'   Fisher curvatures, and the modes.
group_modes <- function(model, beta, sigma, par, b_start = NULL) {
  fam <- FAMILIES[[model$family]]
  lnk <- LINKS[[model$link]]
  g <- model$group
  G <- max(g)
  eta0 <- drop(model$X %*% beta) + model$offset
  h <- function(b) {
    eta <- eta0 + b[g]
    ok <- lnk$valid(eta)
    lf <- rep(-Inf, length(eta))
    lf[ok] <- fam$logf(model$y[ok], lnk$inv(eta[ok]), par)
    rowsum(lf, g, reorder = TRUE)[, 1] + dnorm(b, 0, sigma, log = TRUE)
  }
  derivs <- function(b) {
    eta <- eta0 + b[g]
    mu <- lnk$inv(eta); m1 <- lnk$d1(eta); m2 <- lnk$d2(eta)
    s <- fam$d1(model$y, mu, par)
    obs <- fam$d2(model$y, mu, par) * m1^2 + s * m2
    fis <- -fam$info(mu, par) * m1^2
    list(
      grad = rowsum(s * m1, g, reorder = TRUE)[, 1] - b / sigma^2,
      observed = -(rowsum(obs, g, reorder = TRUE)[, 1] - 1 / sigma^2),
      fisher = -(rowsum(fis, g, reorder = TRUE)[, 1] - 1 / sigma^2)
    )
  }
  b <- if (is.null(b_start)) rep(0, G) else b_start
  hb <- h(b)
  if (any(!is.finite(hb))) stop("starting point outside the link's domain")
  for (iter in 1:200) {
    d <- derivs(b)
    # Newton on the observed curvature where it is positive, Fisher scoring elsewhere.
    curv <- ifelse(d$observed > 0, d$observed, d$fisher)
    step <- d$grad / curv
    t <- 1
    repeat {
      bn <- b + t * step
      hn <- h(bn)
      bad <- !is.finite(hn) | hn < hb - 1e-12 * abs(hb)
      if (!any(bad)) break
      # halve only the groups whose step failed
      step[bad] <- step[bad] / 2
      if (max(abs(step[bad])) < 1e-14) { bn[bad] <- b[bad]; hn[bad] <- hb[bad]; break }
    }
    done <- max(abs(bn - b)) < 1e-12 * (1 + max(abs(b)))
    b <- bn; hb <- hn
    if (done) break
  }
  d <- derivs(b)
  list(b = b, h = hb, observed = d$observed, fisher = d$fisher, grad = d$grad, hfun = h)
}

#' log marginal likelihood by the three methods (nodes: AGQ points).
marginal_loglik <- function(model, beta, sigma, par, nodes = 25, b_start = NULL) {
  m <- group_modes(model, beta, sigma, par, b_start)
  laplace <- function(curv) sum(m$h + 0.5 * log(2 * pi) - 0.5 * log(curv))
  gh <- gauss_hermite(nodes)
  s <- sqrt(2 / m$observed)
  acc <- 0
  G <- length(m$b)
  # log-sum-exp over the nodes, per group
  terms <- sapply(seq_len(nodes), function(k) m$hfun(m$b + s * gh$nodes[k]) + gh$nodes[k]^2 + log(gh$weights[k]))
  if (G == 1) terms <- matrix(terms, nrow = 1)
  mx <- apply(terms, 1, max)
  agq <- sum(log(s) + mx + log(rowSums(exp(terms - mx))))
  list(agq = agq, laplace_observed = laplace(m$observed), laplace_fisher = laplace(m$fisher),
    modes = m$b, cond_sd_observed = 1 / sqrt(m$observed), cond_sd_fisher = 1 / sqrt(m$fisher))
}

#' Maximises one of the three approximations over (beta, log sigma, log par)
#' with nlminb from several starts, then takes the Hessian (numDeriv) for SEs.
fit_marginal <- function(model, method, start, nodes = 25) {
  p <- ncol(model$X)
  unpack <- function(v) list(beta = v[1:p], sigma = exp(v[p + 1]), par = exp(v[p + 2]))
  objective <- function(v) {
    u <- unpack(v)
    r <- tryCatch(marginal_loglik(model, u$beta, u$sigma, u$par, nodes)[[method]], error = function(e) NA)
    if (!is.finite(r)) 1e100 else -r
  }
  best <- NULL
  starts <- list(start, start + c(rep(0.05, p), 0.3, -0.3), start + c(rep(-0.05, p), -0.3, 0.3))
  for (s0 in starts) {
    o <- nlminb(s0, objective, control = list(rel.tol = 1e-14, x.tol = 1e-12, eval.max = 5000, iter.max = 2000))
    # polish from the optimum: nlminb's finite-difference gradient can stop a little short
    o2 <- optim(o$par, objective, method = "BFGS", control = list(reltol = 1e-15, maxit = 1000, ndeps = rep(1e-5, length(s0))))
    if (o2$value < o$objective) o <- list(par = o2$par, objective = o2$value, message = "polished by BFGS")
    if (is.null(best) || o$objective < best$objective) best <- o
  }
  H <- numDeriv::hessian(objective, best$par)
  V <- solve(H)
  se <- sqrt(diag(V))
  u <- unpack(best$par)
  at <- marginal_loglik(model, u$beta, u$sigma, u$par, nodes)
  list(
    method = method, nodes = if (method == "agq") nodes else NULL,
    logLik = -best$objective,
    beta = u$beta, beta_se = se[1:p],
    sigma = u$sigma, log_sigma_se = se[p + 1],
    parameter = u$par, log_parameter_se = se[p + 2],
    vcov = V, gradient = numDeriv::grad(objective, best$par),
    modes = at$modes, cond_sd = if (method == "laplace_fisher") at$cond_sd_fisher else at$cond_sd_observed,
    optimizer_message = best$message
  )
}
