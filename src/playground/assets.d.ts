// esbuild loads .fz files as text (scripts/build-playground.mjs): the default example.
declare module '*.fz' {
  const text: string;
  export default text;
}
