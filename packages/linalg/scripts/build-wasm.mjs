// Emits src/wasm-gemm-bytes.ts: a tiny WebAssembly module (SIMD, f64x2) with
// the multiply-add kernel of the blocked dense factorisations.  Hand-encoded
// so the package needs no compiler toolchain or npm dependency; the output is
// committed, and this script only has to be rerun when the kernel changes:
//   node packages/linalg/scripts/build-wasm.mjs
//
// Exported function (all arguments i32; pointers are byte offsets into the
// imported memory env.memory; leading dimensions and sizes in elements):
//   gemmNT(c, ldc, a, lda, b, ldb, m, n, k, lowerOnly)
//     C (m x n) -= A (m x k) * B (n x k)', column-major, m and n multiples
//     of 4.  With lowerOnly != 0 only the 4 x 4 blocks on or below the block
//     diagonal are updated (a symmetric rank-k update with C on the diagonal).
//   Register blocking: a 4 x 4 block of C lives in eight f64x2 accumulators;
//   per k it loads two vectors of A (rows i..i+3, contiguous in column k) and
//   splats four scalars of B (rows j..j+3, contiguous in column k).

import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Unsigned LEB128. */
function u32(v) {
  const out = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (i32.const immediates). */
function s32(v) {
  const out = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const str = (s) => [...u32(s.length), ...Buffer.from(s, 'utf8')];
const vec = (items) => [...u32(items.length), ...items.flat()];
const section = (id, body) => [id, ...u32(body.length), ...body];

const I32 = 0x7f;
const V128 = 0x7b;

// Instructions used below.
const op = {
  get: (i) => [0x20, ...u32(i)],
  set: (i) => [0x21, ...u32(i)],
  tee: (i) => [0x22, ...u32(i)],
  i32: (v) => [0x41, ...s32(v)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  shl: [0x74],
  geS: [0x4e],
  leS: [0x4c],
  select: [0x1b],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  br: (d) => [0x0c, ...u32(d)],
  brIf: (d) => [0x0d, ...u32(d)],
  end: [0x0b],
  // memarg: alignment exponent 3 (8 bytes: the data are f64), then offset.
  vload: (offset) => [0xfd, ...u32(0x00), 3, ...u32(offset)],
  vsplat64: (offset) => [0xfd, ...u32(0x0a), 3, ...u32(offset)],
  vstore: (offset) => [0xfd, ...u32(0x0b), 3, ...u32(offset)],
  vzero: [0xfd, ...u32(0x0c), ...new Array(16).fill(0)],
  fadd: [0xfd, ...u32(0xf0)],
  fsub: [0xfd, ...u32(0xf1)],
  fmul: [0xfd, ...u32(0xf2)],
};

// gemmNT locals: parameters 0..9, then i32 and v128 locals.
const [C, LDC, A, LDA, B, LDB, M, N, K, LOWER] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const [JB, IB, PA, PB, PC, KK, LDAB, LDBB, LDCB] = [10, 11, 12, 13, 14, 15, 16, 17, 18];
const ACC = [19, 20, 21, 22, 23, 24, 25, 26];
const [VA0, VA1, VB] = [27, 28, 29];

function gemmNTBody() {
  const code = [];
  const emit = (...parts) => {
    for (const p of parts) code.push(...p);
  };
  // Leading dimensions in bytes.
  emit(op.get(LDA), op.i32(3), op.shl, op.set(LDAB));
  emit(op.get(LDB), op.i32(3), op.shl, op.set(LDBB));
  emit(op.get(LDC), op.i32(3), op.shl, op.set(LDCB));
  emit(op.i32(0), op.set(JB));
  emit(op.block, op.loop); // $J over column blocks
  emit(op.get(JB), op.get(N), op.geS, op.brIf(1));
  // ib = lowerOnly ? jb : 0
  emit(op.get(JB), op.i32(0), op.get(LOWER), op.select, op.set(IB));
  emit(op.block, op.loop); // $I over row blocks
  emit(op.get(IB), op.get(M), op.geS, op.brIf(1));
  for (const acc of ACC) emit(op.vzero, op.set(acc));
  emit(op.get(A), op.get(IB), op.i32(3), op.shl, op.add, op.set(PA));
  emit(op.get(B), op.get(JB), op.i32(3), op.shl, op.add, op.set(PB));
  emit(op.get(K), op.set(KK));
  // (Unrolling this loop by two measured slower: V8 then spills accumulators.)
  emit(op.block, op.loop); // $K
  emit(op.get(KK), op.i32(0), op.leS, op.brIf(1));
  emit(op.get(PA), op.vload(0), op.set(VA0));
  emit(op.get(PA), op.vload(16), op.set(VA1));
  for (let q = 0; q < 4; q++) {
    emit(op.get(PB), op.vsplat64(8 * q), op.set(VB));
    emit(op.get(ACC[2 * q]), op.get(VA0), op.get(VB), op.fmul, op.fadd, op.set(ACC[2 * q]));
    emit(op.get(ACC[2 * q + 1]), op.get(VA1), op.get(VB), op.fmul, op.fadd, op.set(ACC[2 * q + 1]));
  }
  emit(op.get(PA), op.get(LDAB), op.add, op.set(PA));
  emit(op.get(PB), op.get(LDBB), op.add, op.set(PB));
  emit(op.get(KK), op.i32(1), op.sub, op.set(KK));
  emit(op.br(0), op.end, op.end);
  // C block at c + jb * ldc * 8 + ib * 8, one column after another.
  emit(op.get(C), op.get(JB), op.get(LDCB), op.mul, op.add, op.get(IB), op.i32(3), op.shl, op.add, op.set(PC));
  for (let q = 0; q < 4; q++) {
    if (q > 0) emit(op.get(PC), op.get(LDCB), op.add, op.set(PC));
    for (let h = 0; h < 2; h++) {
      emit(op.get(PC), op.get(PC), op.vload(16 * h), op.get(ACC[2 * q + h]), op.fsub, op.vstore(16 * h));
    }
  }
  emit(op.get(IB), op.i32(4), op.add, op.set(IB));
  emit(op.br(0), op.end, op.end);
  emit(op.get(JB), op.i32(4), op.add, op.set(JB));
  emit(op.br(0), op.end, op.end);
  emit(op.end);
  const locals = vec([
    [...u32(9), I32],
    [...u32(11), V128],
  ]);
  const body = [...locals, ...code];
  return [...u32(body.length), ...body];
}

const typeSection = section(1, vec([[0x60, ...vec(new Array(10).fill([I32])), ...vec([])]]));
const importSection = section(2, vec([[...str('env'), ...str('memory'), 0x02, 0x00, ...u32(1)]]));
const functionSection = section(3, vec([u32(0)]));
const exportSection = section(7, vec([[...str('gemmNT'), 0x00, ...u32(0)]]));
const codeSection = section(10, vec([gemmNTBody()]));
const bytes = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...typeSection,
  ...importSection,
  ...functionSection,
  ...exportSection,
  ...codeSection,
]);

if (!WebAssembly.validate(bytes)) throw new Error('emitted module does not validate');
const b64 = Buffer.from(bytes).toString('base64');
const lines = b64.match(/.{1,100}/g).map((l) => `  '${l}' +`);
lines[lines.length - 1] = lines[lines.length - 1].slice(0, -2) + ';';
const ts = `// Generated by scripts/build-wasm.mjs; do not edit.  The WebAssembly module
// (SIMD) holding gemmNT, the multiply-add kernel of the blocked dense
// factorisations; see the script for its contract.
export const GEMM_WASM_BASE64 =
${lines.join('\n')}
`;
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? process.argv[outArg + 1] : join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'wasm-gemm-bytes.ts');
writeFileSync(out, ts);
console.log(`wrote ${out} (${bytes.length} bytes)`);
