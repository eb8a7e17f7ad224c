/**
 * How the npm scripts written as test helpers (traces:regen, mutants:table) end: exit 0 when
 * `main` reports no failure, 1 when it reports some, 2 (with the error) when it throws.
 */
export function runScript(main: () => Promise<number>): void {
  main().then(
    (failures) => {
      process.exitCode = failures === 0 ? 0 : 1;
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 2;
    },
  );
}
