// The parts of jstat (which ships no types) that the inference functions use.
declare module 'jstat' {
  interface JStat {
    ibeta(x: number, a: number, b: number): number;
    studentt: { cdf(x: number, dof: number): number; inv(p: number, dof: number): number };
    centralF: { cdf(x: number, df1: number, df2: number): number; inv(p: number, df1: number, df2: number): number };
    chisquare: { cdf(x: number, dof: number): number; inv(p: number, dof: number): number };
  }
  const jStat: JStat;
  export default jStat;
}
