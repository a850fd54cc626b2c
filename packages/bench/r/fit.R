# lme4 side of the benchmark: fits one case on the same CSV our side reads.
# Usage: Rscript fit.R --csv=PATH --formula=FORMULA --family=gaussian|binomial|poisson|gamma [--link=NAME]
#                      --method=reml|ml|laplace|agq [--nagq=N] --factors=a,b --runs=N
# Prints one line "BENCH_RESULT_JSON {...}" (same fields as the TypeScript FitSummary).
# lme4's default optimizers and settings are used on purpose: this is what a user gets.
args <- commandArgs(trailingOnly = TRUE)
opt <- list(factors = "", runs = "1", method = "reml", link = "", nagq = "1")
for (a in args) {
  kv <- regmatches(a, regexec("^--([^=]+)=(.*)$", a))[[1]]
  if (length(kv) == 3) opt[[kv[2]]] <- kv[3]
}
for (k in c("csv", "formula", "family")) if (is.null(opt[[k]])) stop("missing --", k)
runs <- as.integer(opt$runs)

suppressMessages(library(lme4))
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])), "family.R"))

load_s <- system.time(d <- read.csv(opt$csv))[["elapsed"]]
d <- glmm_factors(d, opt$factors)
form <- as.formula(opt$formula)

messages <- character(0)
fit_once <- function() {
  withCallingHandlers(
    glmm_fit(form, d, opt$family, opt$link, opt$method, as.integer(opt$nagq)),
    warning = function(w) { messages <<- c(messages, conditionMessage(w)); invokeRestart("muffleWarning") },
    message = function(m) { messages <<- c(messages, conditionMessage(m)); invokeRestart("muffleMessage") }
  )
}

num <- function(x) if (length(x) == 0) "[]" else paste0("[", paste(sprintf("%.17g", x), collapse = ","), "]")
str1 <- function(x) encodeString(x, quote = '"')
report <- function(m, wall) {
  g <- gc()
  gc_max_mb <- sum(g[, 6]) # "max used (Mb)" of Ncells + Vcells since the reset
  fe <- fixef(m)
  se <- sqrt(diag(as.matrix(vcov(m))))
  fixef_json <- paste0("[", paste(sprintf('{"name":%s,"estimate":%.17g,"stdError":%.17g}', sapply(names(fe), str1), fe, se), collapse = ","), "]")
  optinfo <- m@optinfo
  conv_msgs <- c(optinfo$conv$lme4$messages, optinfo$warnings)
  converged <- length(optinfo$conv$lme4$messages) == 0 && (is.null(optinfo$conv$opt) || optinfo$conv$opt == 0)
  all_msgs <- unique(c(messages, unlist(conv_msgs)))
  msgs_json <- paste0("[", paste(sapply(all_msgs, str1), collapse = ","), "]")

  cat(sprintf(paste0('BENCH_RESULT_JSON {"loadSeconds":%.6f,"fitSeconds":%s,"wallSeconds":%s,"nobs":%d,"logLik":%.17g,',
                     '"fixef":%s,"theta":%s,"converged":%s,"optimizer":%s,"messages":%s,"maxRssMB":null,',
                     '"gcMaxUsedMB":%.3f,"lme4Version":%s,"rVersion":%s}\n'),
              load_s, num(wall), num(wall), nobs(m), as.numeric(logLik(m)), fixef_json, num(getME(m, "theta")),
              if (converged) "true" else "false", str1(paste(optinfo$optimizer, collapse = "+")), msgs_json,
              gc_max_mb, str1(as.character(packageVersion("lme4"))), str1(paste(R.version$major, R.version$minor, sep = "."))))
  flush(stdout())
}

# A result line after every run: if the parent kills a slow case, the finished runs still count.
invisible(gc(reset = TRUE))
wall <- numeric(0)
for (i in seq_len(runs)) {
  st <- system.time(m <- fit_once())
  wall <- c(wall, st[["elapsed"]])
  report(m, wall)
}
