/**
 * Deterministic standard-normal numbers from a seed: PCG32 (O'Neill 2014) for uniform words and
 * Box–Muller for normals, so tests, the CLI dump and other tools can regenerate the same inputs.
 */
export class SeededRandom {
  private state: bigint;
  private readonly increment: bigint;
  private spare: number | null = null;

  constructor(seed: number) {
    const mask = (1n << 64n) - 1n;
    this.increment = ((BigInt(Math.trunc(seed)) << 1n) | 1n) & mask;
    this.state = 0n;
    this.nextUint32();
    this.state = (this.state + 0x853c49e6748fea9bn) & mask;
    this.nextUint32();
  }

  /** The next 32 uniformly distributed bits. */
  nextUint32(): number {
    const old = this.state;
    this.state = (old * 6364136223846793005n + this.increment) & ((1n << 64n) - 1n);
    const xorShifted = Number(((old >> 18n) ^ old) >> 27n & 0xffffffffn);
    const rotation = Number(old >> 59n);
    return ((xorShifted >>> rotation) | (xorShifted << ((32 - rotation) & 31))) >>> 0;
  }

  /** Uniform in (0, 1): never 0, so log() in Box–Muller stays finite. */
  nextUniform(): number {
    return (this.nextUint32() + 0.5) / 4294967296;
  }

  nextNormal(): number {
    if (this.spare !== null) {
      const value = this.spare;
      this.spare = null;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(this.nextUniform()));
    const angle = 2 * Math.PI * this.nextUniform();
    this.spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }
}

/** `count` standard-normal float32 values drawn from `random`. */
export function normalFloat32(random: SeededRandom, count: number): Float32Array {
  const values = new Float32Array(count);
  for (let index = 0; index < count; index++) values[index] = random.nextNormal();
  return values;
}
