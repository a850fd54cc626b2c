# lme4's whole command, as a user runs it: start R, load lme4, read the CSV, fit, print summary().
# Usage: Rscript command.R --csv=PATH --formula=FORMULA --family=NAME [--link=NAME] --method=NAME [--nagq=N] --factors=a,b
# The bench times this process from start to exit and takes its peak RSS (GNU time), as it does for `glmm fit`.
args <- commandArgs(trailingOnly = TRUE)
opt <- list(factors = "", method = "reml", link = "", nagq = "1")
for (a in args) {
  kv <- regmatches(a, regexec("^--([^=]+)=(.*)$", a))[[1]]
  if (length(kv) == 3) opt[[kv[2]]] <- kv[3]
}
suppressMessages(library(lme4))
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])), "family.R"))
d <- glmm_factors(read.csv(opt$csv), opt$factors)
m <- glmm_fit(as.formula(opt$formula), d, opt$family, opt$link, opt$method, as.integer(opt$nagq))
print(summary(m))
cat(sprintf("BENCH_LOGLIK %.17g\n", as.numeric(logLik(m))))
