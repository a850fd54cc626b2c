# Reference strings for packages/report/test/r-format.test.ts: what R's format(),
# format.pval(), printCoefmat() and lme4's summary() print for given numbers.
# Run from the repository root:
#   Rscript packages/report/r/make-format-reference.R
# Writes packages/report/test/fixtures/r-format.json. Tests never need R.
suppressPackageStartupMessages({ library(jsonlite); library(lme4); library(lmerTest) })
set.seed(20261123)

vectors <- list(
  c(0.0005), c(5e-4, 1.2), c(251.405105, 10.467286), c(0.00051234), c(9996), c(123456789), c(1e5), c(1e-300),
  c(-0.000123456), c(612.0897, 35.0717, 654.941), c(0, 1, -1), c(1763.9, 1783.1, -876.0, 1751.9, 174),
  c(2.5e12, 3), c(-1.5, 0.25, 1e-8), c(99999.5), c(0.1 + 0.2), c(1/3, 2/3), c(1e-5, 1e5), c(-0.9999),
  c(24.7407, 5.9221, 25.5918), c(0.4126, 0.1), c(3.14159e-20, 1)
)
for (k in 1:40) {
  len <- sample(1:5, 1)
  vectors[[length(vectors) + 1]] <- signif(rnorm(len) * 10^sample(-7:7, len, replace = TRUE), sample(1:8, 1))
}
format_cases <- list()
for (v in vectors) for (d in c(3, 4, 5, 7)) for (ns in c(0, 2)) {
  format_cases[[length(format_cases) + 1]] <- list(values = v, digits = d, nsmall = ns, expected = format(v, digits = d, nsmall = ns))
}

pvals <- list(c(0.0455, 3.2e-7, 1e-30), c(0.5, 0.04), c(1e-20), c(0.00012, 0.9), c(2e-5, 0.3, 1e-17), runif(4), 10^-runif(5, 0, 12))
pval_cases <- lapply(pvals, function(p) list(values = p, digits = 3, expected = format.pval(p, digits = 3, eps = .Machine$double.eps)))

round_cases <- lapply(list(c(0.15, 1), c(2.675, 2), c(-1.005, 2), c(251.405105, 3), c(0.125, 2), c(1e-4, 7), c(36.8379, 3)),
  function(a) list(x = a[1], digits = a[2], expected = round(a[1], a[2])))

# printCoefmat's cells, read back from its printed output (one row per line, the row name first).
coef_tables <- list(
  cbind(Estimate = c(251.405105, 10.467286), `Std. Error` = c(6.824597, 1.545790)),
  cbind(Estimate = c(-1.398343, -0.991925, -1.128216, -1.579745), `Std. Error` = c(0.2312, 0.3032, 0.3228, 0.4220)),
  cbind(Estimate = c(251.4, 5.0e-4), `Std. Error` = c(6.8, 1.2e-4)),
  cbind(Estimate = c(1.4689, -0.36766, -0.094521), `Std. Error` = c(0.15988, 0.17755, 0.82849)),
  cbind(Estimate = c(1234567.1, 2e-3), `Std. Error` = c(100.5, 1e-3)),
  cbind(Estimate = c(0.00001234, -0.5), `Std. Error` = c(1e-6, 0.01))
)
coef_cases <- lapply(coef_tables, function(m) {
  z <- m[, 1] / m[, 2]
  p <- 2 * pnorm(-abs(z))
  full <- cbind(m, `z value` = z, `Pr(>|z|)` = p)
  rownames(full) <- paste0("b", seq_len(nrow(full)))
  out <- capture.output(printCoefmat(full, digits = 4, signif.stars = FALSE))
  rows <- lapply(out[-1], function(line) strsplit(trimws(line), "[[:space:]]+")[[1]][-1])
  list(estimate = unname(m[, 1]), stdError = unname(m[, 2]), statistic = unname(z), pValue = unname(p), cells = rows)
})

# lme4's own summary lines for real fits: the numbers it formats and the text it prints.
summary_case <- function(fit) {
  s <- summary(fit)
  vc <- as.data.frame(VarCorr(fit))
  out <- capture.output(print(s, correlation = FALSE))
  cf <- s$coefficients
  has_df <- "df" %in% colnames(cf)
  list(
    aic = unname(s$AICtab), aicNames = names(s$AICtab),
    vcov = vc$vcov, sdcor = vc$sdcor, grp = vc$grp, var1 = ifelse(is.na(vc$var1), "", vc$var1), var2 = ifelse(is.na(vc$var2), "", vc$var2),
    coef = unname(cf[, 1]), se = unname(cf[, 2]),
    df = if (has_df) unname(cf[, "df"]) else NULL,
    stat = unname(cf[, if (has_df) 4 else 3]),
    pValue = if (ncol(cf) >= (if (has_df) 5 else 4)) unname(cf[, ncol(cf)]) else NULL,
    printed = out
  )
}
sleep <- lme4::lmer(Reaction ~ Days + (Days | Subject), sleepstudy)
# lmerTest: Satterthwaite's df in printCoefmat's coefficient block.
satterthwaite <- lmerTest::lmer(Reaction ~ Days + (Days | Subject), sleepstudy)
cbpp_fit <- glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, family = binomial)
sleep2 <- sleepstudy; sleep2$tiny <- sleep2$Days * 1e4
tiny <- lme4::lmer(Reaction ~ tiny + (1 | Subject), sleep2, REML = FALSE)
summaries <- list(sleepstudy = summary_case(sleep), cbpp = summary_case(cbpp_fit), tiny = summary_case(tiny),
  satterthwaite = summary_case(satterthwaite))

out <- list(format = format_cases, pval = pval_cases, round = round_cases, coef = coef_cases, summaries = summaries,
  generated = paste("R", getRversion(), "lme4", packageVersion("lme4"), "lmerTest", packageVersion("lmerTest")))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = FALSE), "packages/report/test/fixtures/r-format.json")
