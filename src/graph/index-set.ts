/**
 * A set of revision indexes kept as one flag per revision: no hashing and no growth
 * while a walk adds 10,000 revisions (a full `history` or upgrade). Iterates in index order.
 */
export class IndexSet implements Iterable<number> {
  private readonly flags: Uint8Array;
  size = 0;

  constructor(revisionCount: number) {
    this.flags = new Uint8Array(revisionCount);
  }

  has(index: number): boolean {
    return this.flags[index] === 1;
  }

  add(index: number): this {
    if (this.flags[index] !== 1) {
      this.flags[index] = 1;
      this.size++;
    }
    return this;
  }

  delete(index: number): boolean {
    if (this.flags[index] !== 1) return false;
    this.flags[index] = 0;
    this.size--;
    return true;
  }

  toArray(): number[] {
    const members: number[] = [];
    const flags = this.flags;
    for (let index = 0; index < flags.length; index++) if (flags[index] === 1) members.push(index);
    return members;
  }

  [Symbol.iterator](): Iterator<number> {
    return this.toArray()[Symbol.iterator]();
  }
}
