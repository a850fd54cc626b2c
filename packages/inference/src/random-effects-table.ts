import type { DfMethod } from './degrees-of-freedom.js';
import { normalTwoSidedP, tTwoSidedP } from './distributions.js';
import { checkLevel, criticalValue } from './coefficient-table.js';

/** The conditional modes of one random-effects term (level-major: level * k + column). */
export interface TermModesLike {
  readonly group: string;
  readonly columnNames: readonly string[];
  readonly levels: readonly string[];
  readonly values: ArrayLike<number>;
  readonly condSd: ArrayLike<number>;
}

export interface RandomEffectTestRow {
  readonly group: string;
  readonly term: string;
  readonly level: string;
  /** The conditional mode (BLUP). */
  readonly estimate: number;
  /** Its conditional SD (fitglme's SEPred). */
  readonly stdError: number;
  readonly statistic: number;
  /** null for z. */
  readonly df: number | null;
  readonly pValue: number;
  readonly lower: number;
  readonly upper: number;
}

export interface RandomEffectsTable {
  /** 'residual' or 'z': Satterthwaite's method does not apply to the modes and uses the residual DF, as fitglme. */
  readonly dfMethod: Exclude<DfMethod, 'satterthwaite'>;
  readonly level: number;
  readonly rows: RandomEffectTestRow[];
}

/**
 * fitglme's randomEffects table: each conditional mode with the
 * conditional SD as its standard error, t (or z), p and interval at
 * `level`; with the residual DF (n - p) unless z is asked for.
 */
export function randomEffectsTable(
  modes: readonly TermModesLike[],
  dfMethod: DfMethod,
  residualDf: number,
  level = 0.95,
): RandomEffectsTable {
  checkLevel(level);
  const method = dfMethod === 'z' ? 'z' : 'residual';
  const df = method === 'z' ? null : residualDf;
  const q = criticalValue(level, df);
  const rows: RandomEffectTestRow[] = [];
  for (const m of modes) {
    const k = m.columnNames.length;
    m.levels.forEach((levelName, l) => {
      for (let c = 0; c < k; c++) {
        const estimate = m.values[l * k + c]!;
        const stdError = m.condSd[l * k + c]!;
        // A mode with zero conditional SD (a variance estimated at 0) is exactly 0: no test to make.
        const statistic = stdError > 0 ? estimate / stdError : 0;
        rows.push({
          group: m.group,
          term: m.columnNames[c]!,
          level: levelName,
          estimate,
          stdError,
          statistic,
          df,
          pValue: df === null ? normalTwoSidedP(statistic) : tTwoSidedP(statistic, df),
          lower: estimate - q * stdError,
          upper: estimate + q * stdError,
        });
      }
    });
  }
  return { dfMethod: method, level, rows };
}
