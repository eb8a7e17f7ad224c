/** Where the CLI writes. Tests pass a capturing implementation. */
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress lines are only drawn there). */
  readonly interactive: boolean;
}

export const processOutput: Output = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
};

/** An Output that records everything, for tests. */
export function captureOutput(): Output & { readonly out: string[]; readonly err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, interactive: false, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) };
}
