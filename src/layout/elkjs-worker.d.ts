// elkjs ships no declarations for its worker module; elk.ts reads its one export itself.
declare module 'elkjs/lib/elk-worker.min.js' {
  const exported: unknown;
  export default exported;
}
