# glmmPQL side of bench/glmmpql-compare.mjs: fits y ~ x1 + x2, random = ~ 1 | g
# on the CSV our side reads, and prints one line "GLMMPQL_RESULT {...}".
# Usage: Rscript glmmpql-fit.R CSV FAMILY RUNS
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages({ library(MASS); library(nlme) })
d <- read.csv(args[1])
d$g <- factor(d$g)
fam <- get(args[2])()
runs <- as.integer(args[3])
times <- numeric(runs)
cpu <- numeric(runs)
for (i in seq_len(runs)) {
  st <- system.time(fit <- glmmPQL(y ~ x1 + x2, random = ~ 1 | g, family = fam, data = d, verbose = FALSE))
  times[i] <- st[["elapsed"]]
  cpu[i] <- st[["user.self"]] + st[["sys.self"]]
}
tt <- summary(fit)$tTable
sd_g <- sqrt(as.numeric(pdMatrix(fit$modelStruct$reStruct)[[1]])) * fit$sigma
cat(sprintf('GLMMPQL_RESULT {"seconds":[%s],"cpuSeconds":[%s],"beta":[%s],"se":[%s],"sigma":%.17g,"sdGroup":%.17g}\n',
            paste(sprintf("%.6f", times), collapse = ","), paste(sprintf("%.6f", cpu), collapse = ","), paste(sprintf("%.17g", tt[, "Value"]), collapse = ","),
            paste(sprintf("%.17g", tt[, "Std.Error"]), collapse = ","), fit$sigma, sd_g))
