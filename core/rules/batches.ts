/**
 * Runs `batch` (which handles up to `size` items and answers how many it did) until one comes
 * back short: the rest is done, or locked by another node's sweep. Between full batches it rests
 * as long as the batch took, so a big sweep (a policy change, a node down for a day) takes twice
 * as long and claims keep half the machine meanwhile. Answers the total.
 */
export async function drainInBatches(size: number, batch: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const started = performance.now();
    const n = await batch(size);
    total += n;
    if (n < size) return total;
    await new Promise((resolve) => setTimeout(resolve, performance.now() - started));
  }
}
