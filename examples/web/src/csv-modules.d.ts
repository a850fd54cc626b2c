/** esbuild's text loader: a CSV file imported as its text. */
declare module '*.csv' {
  const text: string;
  export default text;
}
