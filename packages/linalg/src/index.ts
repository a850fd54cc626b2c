export {
  choleskyInPlace,
  choleskyPivotFailure,
  forwardSolve,
  backwardSolve,
  inverseFromCholesky,
  spdInverse,
  logDetFromCholesky,
  leadingInverse,
} from './dense.js';
export { symbolicBlockCholesky, findBlock } from './block-pattern.js';
export type { BlockPattern } from './block-pattern.js';
export { BlockCholesky } from './block-cholesky.js';
export type { SelectedInverseParts } from './block-cholesky.js';
export { setWasmKernelsEnabled } from './wasm-gemm.js';
