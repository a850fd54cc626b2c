# The lme4 family object of a bench case: our family names to R's, with the case's link.
# Sourced by fit.R and command.R.
glmm_family <- function(family, link) {
  ctor <- switch(family, binomial = binomial, poisson = poisson, gamma = Gamma, gaussian = gaussian,
                 stop("unknown family ", family))
  if (nzchar(link)) ctor(link = link) else ctor()
}

# Fits the case as a user would: lmer for gaussian (REML or ML), glmer otherwise with nAGQ.
glmm_fit <- function(form, d, family, link, method, nagq) {
  if (family == "gaussian") {
    lmer(form, data = d, REML = (method == "reml"))
  } else {
    glmer(form, data = d, family = glmm_family(family, link), nAGQ = if (method == "agq") nagq else 1L)
  }
}

# Listed columns and all text columns become factors, as our reader makes text columns categorical.
glmm_factors <- function(d, factors) {
  fac <- if (nzchar(factors)) strsplit(factors, ",")[[1]] else character(0)
  for (col in names(d)) if (is.character(d[[col]]) || col %in% fac) d[[col]] <- factor(d[[col]])
  d
}
