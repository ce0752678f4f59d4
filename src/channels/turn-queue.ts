/**
 * Turns of one conversation run one after another in this process, so its dialog state stays
 * consistent; different conversations run side by side.
 */
export class TurnQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<void>>();

  run(key: string, work: () => Promise<void>): Promise<void> {
    const next = (this.tails.get(key) ?? Promise.resolve()).then(work, work);
    const settled = next.catch(() => undefined);
    this.tails.set(key, settled);
    this.pending.add(settled);
    void settled.then(() => {
      this.pending.delete(settled);
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return next;
  }

  /** Resolves when every queued turn has finished. */
  async idle(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}
