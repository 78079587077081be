// WGSL sources are imported as strings (`import code from './x.wgsl?raw'`) by Vite, tsx and vitest alike.
declare module '*.wgsl?raw' {
  const source: string;
  export default source;
}
