/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations (Golub & Van Loan, Matrix
 * Computations, 4th ed., sec. 8.5): S = V diag(values) Vᵀ, eigenvalues in descending order, eigenvectors as the
 * columns of V (row-major, k x k). Accurate to rounding for the 2..10-parameter matrices of a law fit, and it never
 * fails on singular input, which is what the covariance code needs to detect non-identifiable parameters.
 * Kept instead of ml-matrix's EigenvalueDecomposition (installed with ml-levenberg-marquardt): every `scalefit fit`
 * computes the covariance, and importing ml-matrix alone took 285-450 ms of wall time on this project's machine
 * (2026-12-01, loaded), most of the start-up budget of a 20-run fit (issue 11), for a 5x5 matrix this loop handles.
 *
 * @example symmetricEigen([2, 1, 1, 2], 2).values // [3, 1]
 */
export function symmetricEigen(S: ArrayLike<number>, k: number): { values: number[]; vectors: Float64Array } {
  const a = Float64Array.from(S);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += a[p * k + q]! ** 2;
    if (off === 0 || !Number.isFinite(off)) break;
    let diag = 0;
    for (let i = 0; i < k; i++) diag += a[i * k + i]! ** 2;
    if (off <= 1e-36 * diag) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q]!;
        if (apq === 0) continue;
        const theta = (a[q * k + q]! - a[p * k + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[r * k + p]!,
            arq = a[r * k + q]!;
          a[r * k + p] = c * arp - s * arq;
          a[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p * k + r]!,
            aqr = a[q * k + r]!;
          a[p * k + r] = c * apr - s * aqr;
          a[q * k + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p]!,
            vrq = v[r * k + q]!;
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: k }, (_, i) => i).sort((i, j) => a[j * k + j]! - a[i * k + i]!);
  const vectors = new Float64Array(k * k);
  order.forEach((src, dst) => {
    for (let r = 0; r < k; r++) vectors[r * k + dst] = v[r * k + src]!;
  });
  return { values: order.map((i) => a[i * k + i]!), vectors };
}
