// Runs many tasks at a bounded concurrency, starting each only while `mayStart` allows it, and
// gives tasks that failed for infrastructure reasons another try.

export type FanOutOptions<Result> = {
  /** Tasks running at once. */
  concurrency: number;
  /** Asked before every start (and retry): false stops launching; running tasks go on. */
  mayStart: () => boolean;
  /** Further tries of a task whose result `shouldRetry` rejects. */
  maxRetries: number;
  shouldRetry: (result: Result) => boolean;
};

/** Runs `task(index)` for index 0..count-1; resolves with the results of the tasks that ran, in index order. */
export async function fanOut<Result>(
  count: number,
  task: (index: number) => Promise<Result>,
  options: FanOutOptions<Result>,
): Promise<Result[]> {
  const results: { index: number; result: Result }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count && options.mayStart()) {
      const index = next++;
      let result = await task(index);
      for (let retry = 0; retry < options.maxRetries && options.shouldRetry(result) && options.mayStart(); retry++) {
        result = await task(index);
      }
      results.push({ index, result });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, count)) }, worker));
  return results.sort((a, b) => a.index - b.index).map(({ result }) => result);
}
